"""Build the committed question bank from the seed documents (`python -m question_bank.importer`)."""
