"""The floor of the load benchmark: a bare ASGI app answering every request with one fixed
JSON body, served by uvicorn exactly as ``ecsemu serve`` is (httptools, uvloop, one worker,
no access log, log level warning, no server header).

Whatever ecsemu spends beyond this app's figures is ecsemu's own cost; the rest is
uvicorn, the loopback and the load generator. Run by bench/load.py:
``python bench/floor_app.py --port PORT``.
"""

from __future__ import annotations

import argparse

import uvicorn

BODY = b'{"RequestId":"00000000-0000-0000-0000-000000000000","Regions":{"Region":[]}}'
HEADERS = [(b"content-type", b"application/json;charset=utf-8"),
           (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, http="httptools", loop="uvloop",
                lifespan="off", access_log=False, log_level="warning", server_header=False)


if __name__ == "__main__":
    main()
