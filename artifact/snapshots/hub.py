"""Hugging Face: the N most downloaded models from the Hub API, in the 2024-07 listing pages' JSON form.

`HfApi(endpoint).list_models(sort="downloads", limit=N, expand=...)`: most downloaded first (the
installed huggingface_hub has no `direction` argument), paginated by the library through the
`Link` headers. The endpoint is `HF_ENDPOINT` (read here, not at import) or the public Hub; the
token is huggingface_hub's own choice (`HF_TOKEN`, else the saved login), as in every HF tool.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import urlsplit

from tqdm import tqdm

from artifact.snapshots.http_retry import RetryingTransport, RetryPolicy, SnapshotError, hub_session
from artifact.snapshots.store import Fetched

DEFAULT_ENDPOINT = "https://huggingface.co"
EXPAND = ["downloads", "likes", "tags", "library_name", "pipeline_tag", "createdAt"]
FORMAT = "hub-listing"


def hub_endpoint(env: dict[str, str] | None = None) -> str:
    """HF_ENDPOINT if set, else the public Hub."""
    return ((env if env is not None else os.environ).get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def fetch_hub(top: int, policy: RetryPolicy, endpoint: str | None = None) -> Fetched:
    """The `top` most downloaded models as one JSON list, most downloaded first, ids unique."""
    from huggingface_hub import HfApi, constants
    from huggingface_hub.errors import HfHubHTTPError

    if constants.is_offline_mode():
        raise SnapshotError("HF_HUB_OFFLINE is set: unset it to list the Hub's models")
    endpoint = endpoint or hub_endpoint()
    transport = RetryingTransport(policy)
    models: list[dict[str, Any]] = []
    with hub_session(transport), tqdm(total=top, unit="model", desc="hf models") as progress:
        try:
            for info in HfApi(endpoint=endpoint).list_models(sort="downloads", limit=top, expand=EXPAND):
                models.append(listing_record(info))
                progress.update()
        except HfHubHTTPError as error:
            raise SnapshotError(f"the Hub at {endpoint} refused the listing: {error}; nothing was written") from None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise SnapshotError(
                f"{transport.urls[-1] if transport.urls else endpoint} did not answer a Hub model listing "
                f"({type(error).__name__}: {error}); nothing was written"
            ) from None
    ranked = _download_order(models)
    return Fetched(
        registry="hf",
        format=FORMAT,
        suffix=".json",
        data=(json.dumps(ranked) + "\n").encode(),
        source=_first_page(transport.urls, endpoint),
        version="",  # a live listing has no revision; the entry records the huggingface_hub version
    )


def _first_page(urls: list[str], endpoint: str) -> str:
    """The first listing page as requested (the next ones follow its Link headers); huggingface_hub may
    have asked the endpoint other things first."""
    return next((url for url in urls if urlsplit(url).path.endswith("/api/models")), f"{endpoint}/api/models")


def listing_record(info: Any) -> dict[str, Any]:
    """One model in the key order and form of the 2024-07 pages; keys the Hub left out stay out."""
    created = info.created_at
    record = {
        "_id": getattr(info, "_id", None),
        "id": info.id,
        "likes": info.likes,
        "downloads": info.downloads,
        "tags": info.tags,
        "pipeline_tag": info.pipeline_tag,
        "library_name": info.library_name,
        "createdAt": created and created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond // 1000:03d}Z",
    }
    return {key: value for key, value in record.items() if value is not None}


def _download_order(models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Most downloaded first (the Hub's order kept among equals); a model listed twice, as pages
    shift while a live listing is read, keeps its first listing."""
    first: dict[str, dict[str, Any]] = {}
    for model in models:
        first.setdefault(model["id"], model)
    return sorted(first.values(), key=lambda model: -(model.get("downloads") or 0))


def fetch(top: int, policy: RetryPolicy) -> Fetched:
    """The registry's live top list, as artifact/snapshots/take.py asks every source (`top`: models to list)."""
    return fetch_hub(top, policy)
