"""UI text in Chinese (default) and English.

Every label the page shows comes from here, so one language switch relabels everything. The
interviewer's own words (questions, hints, feedback) stay in the question bank's language.
"""

from __future__ import annotations

from interviewer.report import difficulty_label
from interviewer.service import SessionError

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "大模型算法工程师 · 模拟面试", "tab_interview": "面试", "tab_sessions": "面试记录", "tab_progress": "进度",
        "mode": "模式", "mode_interview": "模拟面试", "mode_practice": "练习", "stages": "环节",
        "questions": "基础题数量", "topics": "主题（不选 = 全部）", "difficulty": "起始难度",
        "job_description": "岗位描述 JD（可选，用来调整出题侧重）", "project_questions": "项目深挖题数（13 = 完整走完）",
        "resume": "简历或项目描述（可选）", "upload": "上传简历 (.txt / .md / .pdf)", "language": "界面语言",
        "llm": "模型状态", "check": "检查连接", "start": "开始面试", "answer": "你的回答（Enter 发送，Shift+Enter 换行）",
        "send": "发送", "hint": "提示", "skip": "跳过", "end": "结束面试", "stage": "当前环节", "progress": "进度",
        "project_card": "项目卡片", "score": "本题得分", "grade": "本题评分", "reference": "参考答案",
        "hit": "答到的要点", "missed": "缺少的要点", "evidence": "你的原话", "feedback": "点评",
        "misconceptions": "误区", "skipped": "已跳过：本题不计分", "hint_used": "使用了提示，本题得分有上限",
        "downloads": "下载报告", "new": "开始新的面试", "refresh": "刷新",
        "session_id": "会话 ID（在表格中点选一行）", "resume_session": "继续面试", "delete": "删除",
        "confirm_delete": "确认删除", "cancel": "取消",
        "delete_ask": "确定删除会话 {id} 吗？删除后无法恢复。",
        "col_id": "会话 ID", "col_created": "开始时间 (UTC)", "col_status": "状态", "col_mode": "模式",
        "col_score": "得分", "col_answered": "已答题数",
        "status_current": "进行中（当前）", "status_abandoned": "未完成",
        "status_paused": "已暂停", "status_finished": "已完成",
        "weakest": "最薄弱的主题", "trend": "总分变化", "revisit": "建议复习的题目",
        "no_sessions": "还没有面试记录。", "no_progress": "还没有作答过的面试：完成至少一道题后这里会显示进度。",
        "progress_sessions": "统计了 {n} 场有作答的面试。", "trend_detail": "第 1 场 → 第 {n} 场",
        "plot_session": "面试（序号 / 日期）", "plot_score": "得分", "plot_overall": "总分",
        "no_stages": "请至少选择一个环节。",
        "resume_too_long": "简历或项目描述太长（上限 20000 字），请删减后再开始。",
        "bad_setup": "设置有误，请检查后再试",
        "upload_type": "只支持 .txt、.md 或 .pdf 文件", "upload_size": "文件太大（上限 2 MB）",
        "upload_pdf": "无法读取这个 PDF，请另存为文本后再上传", "upload_encoding": "无法识别文件编码，请保存为 UTF-8 文本",
        "upload_empty": "文件里没有可读取的文字", "upload_ok": "已读取 {name}。",
        "upload_appended": "已把 {name} 的内容追加到已有文字之后。", "upload_same": "{name} 的内容已经在文本框里了。",
        "offline": "离线内置模式（无需 API Key）：模板提问 + 本地向量评分",
        "online": "已配置 OpenAI 兼容模型", "check_ok": "连接正常，可用于提问和评分", "check_fail": "连接失败，将继续使用离线模式",
        "check_phrasing_only": "可用于提问措辞，但评分不可靠，评分使用离线方式",
        "check_judging_only": "可用于评分，但提问措辞不可用，提问使用离线措辞",
        "check_offline": "离线模式无需检查连接", "error": "出错了，已保存你的输入，请稍后重试",
        "not_found": "没有找到这个会话", "select_session": "请先在表格中选择一个你自己的会话",
        "deleted": "已删除会话 {id}。", "empty_answer": "回答为空：可以输入 /skip 跳过，或 /hint 获取提示",
        "note_skip": "（跳过）", "note_hint": "（请求提示）", "note_repeat": "（请重复问题）",
        "colon": "：", "you": "你", "interviewer": "面试官", "pause": "暂停并离开", "paused": "已暂停，可以随时在「面试记录」中继续。",
        "new_during": "开始新的面试（本场暂停）",
        # Codes from the engine (SessionView.notice, SessionError.code), in this interface's words.
        "notice_llm_fallback": "大模型暂时不可用，本题使用离线评分。",
        "notice_llm_paused": "大模型接口连续出错，暂停调用一段时间，面试以离线方式继续。",
        "notice_llm_reply_replaced": "大模型的回复中途出错，已换成标准问法；你的回答已保存。",
        "notice_no_cjk_font": "没有找到可以显示中文的字体，无法生成 PDF；请下载 HTML 报告，或安装中文字体（如 fonts-noto-cjk）。", "notice_other": "系统提示：{code}",
        "error_session_not_found": "没有找到这个会话", "error_session_finished": "这场面试已经结束",
        "error_answer_too_long": "回答太长（{length} 字，上限 {limit} 字）：请精简后再发送，你的文字还在输入框里。",
        "error_too_many_questions": "基础题最多 {limit} 道。",
        "error_empty_plan": "没有可以提问的题目：只选了「基础知识」时，基础题数量至少为 1。",
    },
    "en": {
        "title": "LLM engineer · mock interview", "tab_interview": "Interview", "tab_sessions": "Sessions",
        "tab_progress": "Progress", "mode": "Mode", "mode_interview": "Mock interview", "mode_practice": "Practice",
        "stages": "Stages", "questions": "Technical questions", "topics": "Topics (none = all)",
        "difficulty": "Starting difficulty", "resume": "Résumé or project description (optional)",
        "job_description": "Job description (optional: weights the topics)",
        "project_questions": "Project questions (13 = the full ladder)",
        "upload": "Upload résumé (.txt / .md / .pdf)", "language": "UI language", "llm": "Model status",
        "check": "Check connection", "start": "Start interview",
        "answer": "Your answer (Enter to send, Shift+Enter for a new line)",
        "send": "Send", "hint": "Hint", "skip": "Skip", "end": "End interview", "stage": "Stage", "progress": "Progress",
        "project_card": "Project card", "score": "Score", "grade": "Grade of this answer", "reference": "Reference answer",
        "hit": "Key points covered", "missed": "Key points missed", "evidence": "your words", "feedback": "Feedback",
        "misconceptions": "Misconceptions", "skipped": "Skipped: this question scores 0",
        "hint_used": "A hint was used; the score is capped",
        "downloads": "Download the report", "new": "Start a new interview", "refresh": "Refresh",
        "session_id": "Session id (click a row in the table)", "resume_session": "Resume", "delete": "Delete",
        "confirm_delete": "Yes, delete it", "cancel": "Cancel",
        "delete_ask": "Delete session {id}? This cannot be undone.",
        "col_id": "Session id", "col_created": "Started (UTC)", "col_status": "Status", "col_mode": "Mode",
        "col_score": "Score", "col_answered": "Answered",
        "status_current": "In progress (current)", "status_abandoned": "Unfinished",
        "status_paused": "Paused", "status_finished": "Finished",
        "weakest": "Weakest topics", "trend": "Trend", "revisit": "Questions to revisit",
        "no_sessions": "No sessions yet.",
        "no_progress": "No answered interviews yet: progress shows up once you have answered a question.",
        "progress_sessions": "Based on {n} interview(s) with answers.", "trend_detail": "session 1 → session {n}",
        "plot_session": "Interview (number / date)", "plot_score": "Score", "plot_overall": "Overall",
        "no_stages": "Choose at least one stage.",
        "resume_too_long": "The résumé text is too long (20,000 characters max); shorten it and start again.",
        "bad_setup": "Invalid setup; please check it and retry",
        "upload_type": "Only .txt, .md or .pdf files", "upload_size": "File too large (2 MB max)",
        "upload_pdf": "Cannot read this PDF; save it as text and upload again",
        "upload_encoding": "Unknown text encoding; save the file as UTF-8", "upload_empty": "No readable text in the file",
        "upload_ok": "Read {name}.", "upload_appended": "Appended the text of {name} after the text already there.",
        "upload_same": "The text of {name} is already in the box.",
        "offline": "Offline embedded default (no API key): template questions + local embedding grading",
        "online": "OpenAI-compatible model configured", "check_ok": "Connection OK: usable for phrasing and grading",
        "check_phrasing_only": "Usable for phrasing only; grading stays offline",
        "check_judging_only": "Usable for grading only; questions are worded offline",
        "check_fail": "Connection failed; the interview continues offline", "check_offline": "Offline mode: nothing to check",
        "error": "Something went wrong; your input is kept, please retry",
        "not_found": "Session not found", "select_session": "Select one of your own sessions in the table first",
        "deleted": "Deleted session {id}.", "empty_answer": "Empty answer: type /skip to skip or /hint for a hint",
        "note_skip": "(skipped)", "note_hint": "(asked for a hint)", "note_repeat": "(asked to repeat)",
        "notice_llm_fallback": "The LLM is unavailable right now; this answer was graded offline.", "colon": ": ",
        "notice_llm_reply_replaced": "The LLM's reply broke off; the standard wording is shown instead. Your "
                                     "answer is saved.",
        "notice_llm_paused": "The LLM endpoint failed repeatedly; it is paused for a while and the interview "
                             "continues offline.",
        "notice_no_cjk_font": "No CJK font found, so there is no PDF: download the HTML report, or install a CJK "
                              "font (e.g. fonts-noto-cjk).",
        "you": "You", "interviewer": "Interviewer", "pause": "Pause and leave", "paused": "Paused: resume it any time from the Sessions tab.",
        "new_during": "Start a new interview (this one is paused)", "notice_other": "System notice: {code}",
        "error_session_not_found": "Session not found", "error_session_finished": "This interview has finished",
        "error_answer_too_long": "Answer too long ({length} characters, limit {limit}): please shorten it; your "
                                 "text is still in the box.",
        "error_too_many_questions": "At most {limit} technical questions.",
        "error_empty_plan": "Nothing to ask: with only Fundamentals selected, ask at least one technical question.",
    },
}
STAGE_NAMES: dict[str, dict[str, str]] = {
    "zh": {"opening": "自我介绍", "project": "项目深挖", "technical": "基础知识", "behavioral": "综合素质", "closing": "反问"},
    "en": {"opening": "Self-introduction", "project": "Project deep dive", "technical": "Fundamentals",
           "behavioral": "Behavioural", "closing": "Your questions"},
}


def text(language: str, key: str, **values: object) -> str:
    template = TEXT.get(language, TEXT["zh"]).get(key, TEXT["zh"][key])
    return template.format(**values) if values else template


def error_text(language: str, error: SessionError) -> str:
    """A SessionError in the UI language, by its code."""
    return text(language, f"error_{error.code}", **error.params)


def notice_text(language: str, code: str | None) -> str:
    """A notice code from the engine in the UI language ("" for none)."""
    if not code:
        return ""
    key = f"notice_{code}"
    return text(language, key) if key in TEXT["zh"] else text(language, "notice_other", code=code)


def difficulty_choices(language: str) -> list[tuple[str, int]]:
    """The levels in the words the report and the CLI use too."""
    return [(difficulty_label(level, language), level) for level in (1, 2, 3)]


__all__ = ["STAGE_NAMES", "TEXT", "difficulty_choices", "error_text",
           "notice_text", "text"]
