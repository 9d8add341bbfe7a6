"""Reading news articles into proposed events: pure, offline, nothing downloaded.

Nothing here imports storage, services or a front end (a contract in pyproject.toml
keeps it so): the same code runs in the CLI, the API, the web upload and the benches.
"""
