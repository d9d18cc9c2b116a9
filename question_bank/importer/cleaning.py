"""Cleaning rules shared by the seed parsers: noise removal, advertising and personal details."""

from __future__ import annotations

import re

IMAGE_PLACEHOLDER = re.compile(r"在这里插入图片描述|!\[[^\]]*\]\([^)]*\)")
# Markdown link -> its text; bare URLs (tracking links, zhihu search links) are dropped. A bare URL is
# ASCII only, so one written straight before Chinese text ("参考https://…），但…") stops at the Chinese.
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\((?:https?://|/)[^)]*\)")
EMPTY_LINK = re.compile(r"\[([^\]]*)\]\(\)")
BARE_URL = re.compile(r"https?://[!-'*-~]+")  # printable ASCII except parentheses
# What a removed link leaves behind: a label line ("参考：", "**原文参考：**") or an empty aside ("（可以参考）").
LINK_LABEL_LINE = re.compile(
    r"^[*_\s]*(?:原文|更多)?(?:参考|参考链接|参考资料|参考文献|原文链接|链接|出处)[*_\s]*[:：]?[*_\s]*$")
EMPTY_REFERENCE_ASIDE = re.compile(r"[（(]\s*(?:可以|可)?参考(?:链接|资料)?\s*[:：]?\s*[)）]")
# Sentences that point at an image the cleaning removed: a lead-in clause ("从上面的图片中很容易可以看到，")
# is cut from the sentence; a sentence that describes the picture itself ("上图中红色的靶心区域是…",
# "…蓝色点比较集中…") is dropped, as it means nothing without the picture.
FIGURE_LEAD_IN = re.compile(
    r"(?:从|由)(?:上面|下面|上|下)的?(?:图片|图)中?(?:很容易)?(?:可以)?(?:看[出到]|得知)[，,：:]?")
FIGURE_LINE = re.compile(
    r"^[*_\s]*(?:上图|下图|如图|图中|见图|如下图|如上图)|(?:红|蓝|绿|黄|橙|紫)色的?(?:点|靶心|区域|曲线|线条|方框)")
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
    text = EMPTY_REFERENCE_ASIDE.sub("", text)
    text = HTML_TAG.sub("", text)
    text = EMOJI.sub("", text)
    return text.rstrip("\t ").replace("\u3000", " ")


def clean_heading(text: str) -> str:
    """A question heading without Markdown emphasis, numbering noise or trailing colons."""
    text = clean_inline(text).strip()
    text = re.sub(r"\*+|_{2,}", "", text)
    return text.strip().rstrip("：:").strip()


CJK = "\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCTUATION = "，。、；：？！（）《》“”‘’【】…"
# A space the table of contents put between two Chinese words, or next to Chinese punctuation.
SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}{CJK_PUNCTUATION}])\s+(?=[{CJK}{CJK_PUNCTUATION}])")
SPACE_BEFORE_CJK_PUNCTUATION = re.compile(rf"\s+(?=[{CJK_PUNCTUATION}])")
# Notes to the reader in a question heading, not part of the question ("…手写，必考。").
EXAM_HINT = re.compile(r"[，,、]?\s*[（(]?(?:必考|必问|高频|常考)(?:题|点)?[)）]?(?=[。.？?！!]?$)")


def display_text(text: str) -> str:
    """The question as shown: no spaces between Chinese words, no exam hints.

    Ids are computed from the text before this step (spaces never count in an id, the hints
    would), so tidying how a question reads never changes which question it is."""
    text = SPACE_BETWEEN_CJK.sub("", text)
    text = SPACE_BEFORE_CJK_PUNCTUATION.sub("", text)
    text = EXAM_HINT.sub("", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


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
        line = FIGURE_LEAD_IN.sub("", clean_inline(line))
        if LINK_LABEL_LINE.match(line) or FIGURE_LINE.search(line):
            continue
        if line.strip() in ("", "---"):
            if kept and kept[-1] != "":
                kept.append("")
            continue
        kept.append(line.strip() if not line.startswith("    ") else line)
    text = "\n".join(kept).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text if len(text) >= 8 else None
