"""New snapshots of today's top lists (`python -m artifact snapshot {hf,pypi,npm}`), kept in a local folder.

`http_retry.py` retries and times out every request; `hub.py`, `pypi.py` and `npm.py` read one source
each (a registry record's `snapshot_source`, artifact/registries.py, names its module); `store.py`
writes the file and its entry in the folder's `snapshots.toml`; `take.py` ties them together;
artifact/profiles.py turns the folder into the inputs of the `extended` profile.
"""
