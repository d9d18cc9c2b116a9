"""UI text in Chinese (default) and English."""

from __future__ import annotations

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "title": "大模型算法工程师 · 模拟面试", "tab_interview": "面试", "tab_sessions": "面试记录", "tab_progress": "进度",
        "mode": "模式", "mode_interview": "模拟面试", "mode_practice": "练习", "stages": "环节",
        "questions": "基础题数量", "topics": "主题（不选 = 全部）", "difficulty": "起始难度",
        "resume": "简历或项目描述（可选）", "upload": "上传简历 (.txt / .md / .pdf)", "language": "界面语言",
        "llm": "模型状态", "check": "检查连接", "start": "开始面试", "answer": "你的回答（Enter 发送，Shift+Enter 换行）",
        "send": "发送", "hint": "提示", "skip": "跳过", "end": "结束面试", "stage": "当前环节", "progress": "进度",
        "project_card": "项目卡片", "score": "本题得分", "grade": "本题评分", "reference": "参考答案",
        "report": "面试报告", "downloads": "下载报告", "new": "开始新的面试", "refresh": "刷新",
        "session_id": "会话 ID", "resume_session": "继续面试", "delete": "删除", "view_report": "查看报告",
        "weakest": "最薄弱的主题", "trend": "总分变化", "revisit": "建议复习的题目", "no_sessions": "还没有面试记录。",
        "bad_setup": "设置有误", "upload_type": "只支持 .txt、.md 或 .pdf 文件", "upload_size": "文件太大（上限 2 MB）",
        "upload_pdf": "无法读取这个 PDF，请另存为文本后再上传", "upload_encoding": "无法识别文件编码，请保存为 UTF-8 文本",
        "upload_empty": "文件里没有可读取的文字", "offline": "离线内置模式（无需 API Key）：模板提问 + 本地向量评分",
        "online": "已配置 OpenAI 兼容模型", "check_ok": "连接正常", "check_fail": "连接失败，将继续使用离线模式",
        "check_offline": "离线模式无需检查连接", "error": "出错了，已保存你的输入，请稍后重试",
        "finished": "面试已结束", "not_found": "没有找到这个会话", "select_session": "请先在表格中选择一个会话",
        "deleted": "已删除", "empty_answer": "回答为空：可以输入 /skip 跳过，或 /hint 获取提示",
    },
    "en": {
        "title": "LLM engineer · mock interview", "tab_interview": "Interview", "tab_sessions": "Sessions",
        "tab_progress": "Progress", "mode": "Mode", "mode_interview": "Mock interview", "mode_practice": "Practice",
        "stages": "Stages", "questions": "Technical questions", "topics": "Topics (none = all)",
        "difficulty": "Starting difficulty", "resume": "Résumé or project description (optional)",
        "upload": "Upload résumé (.txt / .md / .pdf)", "language": "UI language", "llm": "Model status",
        "check": "Check connection", "start": "Start interview", "answer": "Your answer (Enter to send, Shift+Enter for a new line)",
        "send": "Send", "hint": "Hint", "skip": "Skip", "end": "End interview", "stage": "Stage", "progress": "Progress",
        "project_card": "Project card", "score": "Score", "grade": "Grade of this answer", "reference": "Reference answer",
        "report": "Report", "downloads": "Download the report", "new": "Start a new interview", "refresh": "Refresh",
        "session_id": "Session id", "resume_session": "Resume", "delete": "Delete", "view_report": "View report",
        "weakest": "Weakest topics", "trend": "Trend", "revisit": "Questions to revisit", "no_sessions": "No sessions yet.",
        "bad_setup": "Invalid setup", "upload_type": "Only .txt, .md or .pdf files", "upload_size": "File too large (2 MB max)",
        "upload_pdf": "Cannot read this PDF; save it as text and upload again",
        "upload_encoding": "Unknown text encoding; save the file as UTF-8", "upload_empty": "No readable text in the file",
        "offline": "Offline embedded default (no API key): template questions + local embedding grading",
        "online": "OpenAI-compatible model configured", "check_ok": "Connection OK",
        "check_fail": "Connection failed; the interview continues offline", "check_offline": "Offline mode: nothing to check",
        "error": "Something went wrong; your input is kept, please retry", "finished": "The interview has finished",
        "not_found": "Session not found", "select_session": "Select a session in the table first", "deleted": "Deleted",
        "empty_answer": "Empty answer: type /skip to skip or /hint for a hint",
    },
}
STAGE_NAMES: dict[str, dict[str, str]] = {
    "zh": {"opening": "自我介绍", "project": "项目深挖", "technical": "基础知识", "behavioral": "综合素质", "closing": "反问"},
    "en": {"opening": "Self-introduction", "project": "Project deep dive", "technical": "Fundamentals",
           "behavioral": "Behavioural", "closing": "Your questions"},
}


def text(language: str, key: str) -> str:
    return TEXT.get(language, TEXT["zh"]).get(key, TEXT["zh"][key])
