"""Find a font that can show Chinese, for PDF reports and charts."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

# Well-known locations (Debian fonts-noto-cjk, macOS, Windows); index = face inside a .ttc collection.
KNOWN_FONTS: list[tuple[str, int]] = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # face 2 = Simplified Chinese
    ("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
    ("C:/Windows/Fonts/simhei.ttf", 0),
]
NO_FONT_MESSAGE = ("没有找到可以显示中文的字体，无法生成 PDF；请使用 HTML 报告，或安装中文字体"
                   "（Debian/Ubuntu: apt-get install fonts-noto-cjk）。 / No CJK font found: use the HTML report "
                   "or install one (e.g. fonts-noto-cjk).")


class MissingFontError(RuntimeError):
    def __init__(self) -> None:
        super().__init__(NO_FONT_MESSAGE)


@cache
def find_cjk_font() -> tuple[Path, int] | None:
    """(font file, face index) of a CJK-capable font on this system, or None."""
    for path, index in KNOWN_FONTS:
        if Path(path).is_file():
            return Path(path), index
    if shutil.which("fc-list"):
        listing = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10,
                                 check=False).stdout
        for line in listing.splitlines():
            candidate = Path(line.split(":")[0].strip())
            if candidate.suffix.lower() in (".ttf", ".otf", ".ttc") and candidate.is_file():
                return candidate, 0
    return None


@cache
def find_cjk_bold_font() -> tuple[Path, int] | None:
    """The bold face of the font find_cjk_font() chose, when it has one next to it (e.g. NotoSansCJK-Bold.ttc)."""
    found = find_cjk_font()
    if found is None or "Regular" not in found[0].name:
        return None
    bold = found[0].with_name(found[0].name.replace("Regular", "Bold"))
    return (bold, found[1]) if bold.is_file() else None
