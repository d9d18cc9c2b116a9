"""Cleaning rules shared by the seed parsers: noise removal, advertising and personal details."""

from __future__ import annotations

import re

IMAGE_PLACEHOLDER = re.compile(r"在这里插入图片描述|!\[[^\]]*\]\([^)]*\)")
# Markdown link -> its text; bare URLs (tracking links, zhihu search links) are dropped.
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\((?:https?://|/)[^)]*\)")
EMPTY_LINK = re.compile(r"\[([^\]]*)\]\(\)")
BARE_URL = re.compile(r"https?://\S+")
HTML_TAG = re.compile(r"</?(?:br|p|span|div|font)[^>]*>", re.IGNORECASE)
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f000-\U0001f2ff]")

# Lines that are advertising, author/copyright blocks or platform chrome, never content.
ADVERT_MARKERS = (
    "二维码", "扫描下方", "扫码", "红包", "CSDN", "大礼包", "免费领取", "免费分享", "学习路线", "学习资源",
    "关注公众号", "公众号", "点赞", "收藏", "付费专栏", "余额", "充值", "成就一亿技术人", "获取方式",
    "保存图片", "wx扫描", "安全链接",
)
COPYRIGHT_MARKERS = ("著作权归作者所有", "商业转载请联系作者", "非商业转载请注明出处")
AUTHOR_LINE = re.compile(r"^(作者|链接|来源)[:：]")
# Commentary that introduces or closes a list of questions in the articles, not part of any answer.
META_LINE = re.compile(r"^(在回答这些面试题时|这些只是一些可能的问题|（转）|\(注：)")

# Personal details: how people state their identity and education in a self-introduction. Matched as
# phrasing, so no one's name or school has to be written into the product to keep it out.
PERSONAL_LINE = re.compile(
    r"我的名字|我叫|我是.{0,16}(大学|学院|科大|研究生|本科)|硕士研究生|博士研究生|本科就读|毕业于|届毕业|毕业"
)
# The seed author's own employer project (its client and data), which is not a question for anyone else.
AUTHOR_PROJECT_MARKERS = ("百度金融", "ESG", "esg", "MSCI", "腾讯")


def is_advert(line: str) -> bool:
    return any(marker in line for marker in ADVERT_MARKERS)


def is_copyright(line: str) -> bool:
    stripped = line.strip()
    return any(marker in stripped for marker in COPYRIGHT_MARKERS) or bool(AUTHOR_LINE.match(stripped))


def is_personal(line: str) -> bool:
    return bool(PERSONAL_LINE.search(line)) or any(marker in line for marker in AUTHOR_PROJECT_MARKERS)


def clean_inline(text: str) -> str:
    """Remove image placeholders, links, stray HTML and emoji from one line."""
    text = IMAGE_PLACEHOLDER.sub("", text)
    text = EMPTY_LINK.sub(r"\1", text)
    text = MARKDOWN_LINK.sub(r"\1", text)
    text = BARE_URL.sub("", text)
    text = HTML_TAG.sub("", text)
    text = EMOJI.sub("", text)
    return text.rstrip("\t ").replace("\u3000", " ")


def clean_heading(text: str) -> str:
    """A question heading without Markdown emphasis, numbering noise or trailing colons."""
    text = clean_inline(text).strip()
    text = re.sub(r"\*+|_{2,}", "", text)
    return text.strip().rstrip("：:").strip()


def clean_answer(lines: list[str]) -> str | None:
    """Join answer lines, dropping noise, advertising, copyright and personal lines; None when empty."""
    kept: list[str] = []
    in_code = False
    for raw in lines:
        line = raw.rstrip("\t ")
        if line.strip().startswith("```"):
            in_code = not in_code
            kept.append(line.strip())
            continue
        if in_code:
            kept.append(line)
            continue
        if is_advert(line) or is_copyright(line) or is_personal(line) or META_LINE.match(line.strip()):
            continue
        line = clean_inline(line)
        if line.strip() in ("", "---"):
            if kept and kept[-1] != "":
                kept.append("")
            continue
        kept.append(line.strip() if not line.startswith("    ") else line)
    text = "\n".join(kept).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text if len(text) >= 8 else None
