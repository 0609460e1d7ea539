"""Entry points that call the services: the command line (cli, cli_drafting), the OpenAI-compatible HTTP
API (api, replies), the server that serves page and API (server) and the Python SDK (sdk)."""
