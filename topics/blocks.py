"""Topic pages use the shared body blocks in ``cms.blocks``; nothing topic-only yet."""
