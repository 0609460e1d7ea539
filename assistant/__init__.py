"""Writing assistant for Chinese 工作总结."""
