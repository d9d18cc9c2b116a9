"""The question bank: models, taxonomy, the seed importer and the loader."""
