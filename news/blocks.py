"""News articles use the shared body blocks in ``cms.blocks``; nothing news-only yet."""
