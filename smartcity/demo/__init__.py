"""Demo data for a first run and for screenshots: `manage.py load_demo`, then `manage.py demo_logins`.

The data is plain Python, one module per subject: `people` (the region, its SKPDs, the demo logins),
`programmes` (the masterplan), `stories` (the progress reports), `questions` (the evaluation cycles, answers
and scores), and the documents the SKPDs keep (`report_documents`, `answer_documents`, with `figures` for the
made-up numbers and `files` for the bytes). `loader.load()` writes it all through the services.
"""
