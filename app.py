"""Start the web app and the OpenAI-compatible API with the default settings: `python app.py`.

Settings come from ASSISTANT_* environment variables (and ASSISTANT_SETTINGS_FILE); the same as
`assistant serve`. The page is at http://127.0.0.1:7860/, the API at http://127.0.0.1:7860/v1.

Embedding the page in another Gradio app:

    import gradio as gr
    from assistant.config import load_settings
    from assistant.services import build_services
    from assistant.ui import build_ui

    services = build_services(load_settings(backend="template"))
    with gr.Blocks() as portal:
        with gr.Tab("工作总结"):
            build_ui(services).render()
        with gr.Tab("其他工具"):
            gr.Markdown("……")
    portal.launch()

Mounting it (and the /v1 API) on an existing FastAPI app:

    import gradio as gr
    from fastapi import FastAPI
    from assistant.interfaces.api import create_api
    from assistant.ui import build_ui, launch_options

    app = FastAPI()
    app.include_router(create_api(services), prefix="/summary")       # /summary/v1/chat/completions
    app = gr.mount_gradio_app(app, build_ui(services).queue(), path="/summary", **launch_options())
    # uvicorn mymodule:app --host 127.0.0.1 --port 8000

Or take the whole app as it is: `from assistant.interfaces.server import create_app; app = create_app(settings)`.
See docs/EMBEDDING.md for the Python API and the model ids the API offers.
"""

from __future__ import annotations

import sys

from assistant.config import load_settings
from assistant.errors import UserError
from assistant.interfaces.server import run


def main() -> int:
    try:
        run(load_settings())
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
