"""The ``wheel-strategy`` command line (Cyclopts): ``main`` builds the app, one module per command.

Command modules import nothing heavy at module level — Litestar, SQLAlchemy and
uvicorn are imported inside the command that needs them — so ``--help`` and
quick commands start fast.
"""
