"""A fake OpenAI-compatible server on 127.0.0.1 for tests: chat replies are queued by the test,
/embeddings answers with deterministic vectors.

`delay` makes every reply wait that many seconds first (to test client time-outs); stopping the
server ends the wait at once, so a slow reply never holds up the test run.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeOpenAIServer:
    def __init__(self) -> None:
        self.replies: list[Any] = []  # dict: the message content as JSON; int: an HTTP error; str: raw content
        self.requests: list[dict[str, Any]] = []
        self.embedded: list[str] = []  # every text sent to /embeddings
        self.delay = 0.0
        # Request shapes this server refuses with a 400, as servers without them do: response_format types
        # ("json_schema", "json_object") and "tools".
        self.rejects: set[str] = set()
        self.reject_status = 400  # llama-cpp-python's server answers 500 with a validation error
        # Answers any chat request when no reply is queued (benchmarks): body -> content (dict or str).
        self.responder: Callable[[dict[str, Any]], Any] | None = None
        # Streamed replies ("stream": true) come in pieces of `stream_chars` characters, `stream_pause`
        # seconds apart; with `stream_break_after` set, the connection drops after that many pieces.
        self.stream_chars = 2
        self.stream_pause = 0.0
        self.stream_break_after: int | None = None
        self.streams_completed = 0  # streamed replies sent to the end
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True  # a handler still waiting out `delay` never blocks shutdown
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                return

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append(body)
                if server.delay and server.stopping.wait(server.delay):
                    return
                if self.path.rstrip("/").endswith("/embeddings"):
                    self._send(server.embeddings(body))
                    return
                shape = (body.get("response_format") or {}).get("type")
                if shape in server.rejects or ("tools" in body and "tools" in server.rejects):
                    self._error(server.reject_status,
                                f"1 validation error: response_format.type Input should be 'text' or "
                                f"'json_object', got {shape or 'tools'}")
                    return
                reply = server.replies.pop(0) if server.replies else (server.responder(body) if server.responder else 500)
                if isinstance(reply, int):
                    self._error(reply, "fake failure")
                    return
                content = reply if isinstance(reply, str) else json.dumps(reply, ensure_ascii=False)
                if body.get("stream"):
                    self._stream(content, body.get("model"))
                    return
                payload = {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body.get("model"),
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": content}}],
                           "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
                self._send(payload)

            def _stream(self, content: str, model: Any) -> None:
                """Server-sent events, as OpenAI streams a chat completion."""
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                size = max(1, server.stream_chars)
                pieces = [content[i:i + size] for i in range(0, len(content), size)]
                for index, piece in enumerate(pieces):
                    if server.stream_break_after is not None and index >= server.stream_break_after:
                        self.wfile.flush()
                        self.connection.shutdown(2)  # the connection drops midway, no [DONE]
                        return
                    if index and server.stream_pause and server.stopping.wait(server.stream_pause):
                        return
                    delta = {"role": "assistant", "content": piece} if index == 0 else {"content": piece}
                    self._event({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                                 "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
                self._event({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
                             "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                server.streams_completed += 1

            def _event(self, payload: dict[str, Any]) -> None:
                self.wfile.write(f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

            def _error(self, status: int, message: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps({"error": {"message": message, "type": "server_error"}}).encode())

            def _send(self, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        """An /embeddings reply: deterministic character n-gram vectors, so similar texts stay close."""
        from rubrics.embeddings import HashEmbedder

        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        vectors = HashEmbedder().embed_passages(texts).astype("<f4")
        self.embedded.extend(texts)
        # The openai client asks for base64 (little-endian float32) unless told otherwise.
        encode = ((lambda vector: base64.b64encode(vector.tobytes()).decode()) if body.get("encoding_format") == "base64"
                  else (lambda vector: vector.tolist()))
        return {"object": "list", "model": body.get("model"),
                "data": [{"object": "embedding", "index": i, "embedding": encode(vector)}
                         for i, vector in enumerate(vectors)],
                "usage": {"prompt_tokens": len(texts), "total_tokens": len(texts)}}
