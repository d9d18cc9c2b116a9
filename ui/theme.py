"""The look of the web app: local fonts only and a few style rules, passed to `launch()` (Gradio 6)."""

from __future__ import annotations

from typing import Any

import gradio as gr

CSS = """
#chat .message-wrap em, #chat .message em { font-size: 0.85em; opacity: 0.75; }
#downloads .label-clear-button { display: none !important; }
#chat .icon-button-wrapper.top-panel { display: none !important; }
#setup-message, #upload-message, #sessions-message { min-height: 0; }
#setup-message p, #upload-message p.error { color: #b91c1c; }
#notice p { color: #92400e; }
#upload-row { align-items: center; }
#upload-button { flex-grow: 0; min-width: 200px; }
#llm-row { align-items: center; }
#check { flex-grow: 0; min-width: 140px; }
"""
# No Google Fonts: every font is local, so the page makes no request outside this server.
FONTS = ["Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "ui-sans-serif", "system-ui",
         "sans-serif"]
MONO_FONTS = ["DejaVu Sans Mono", "ui-monospace", "monospace"]


def theme_kwargs() -> dict[str, Any]:
    """`theme` and `css` for `Blocks.launch()`."""
    return {"theme": gr.themes.Default(font=FONTS, font_mono=MONO_FONTS), "css": CSS}
