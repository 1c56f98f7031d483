"""The bilingual demo site: ICLD's content from the two seed pages, in Swedish and English."""
