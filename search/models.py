"""Bilingual search lives here (see the search issue); no models yet."""
