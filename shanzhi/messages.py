"""Every text the ``shanzhi`` command shows a user, in Chinese with the English beside it.

One catalogue, so the two languages stay together and no sentence is written twice. A
:class:`Text` formats as ``中文 (English)``; :meth:`Text.both` gives the short ``中文 English``
form for headings.

>>> EXPORT_EXISTS(path="out/a.graphml")
'out/a.graphml 已存在：加 --force 覆盖 (out/a.graphml exists: add --force to overwrite it)'
>>> HEAD_CREATED.both()
'新增 created'
>>> import errno
>>> os_error(OSError(errno.ENOSPC, "No space left on device"), "/dev/full")
'无法写入 /dev/full：磁盘已满 (cannot write /dev/full: no space left on the disk)'
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any

__all__ = ["Text", "error_sentence", "os_error"]


@dataclass(frozen=True)
class Text:
    """One message in both languages; ``{name}`` fields are filled by calling it."""

    zh: str
    en: str

    def __call__(self, **values: Any) -> str:
        return f"{self.zh.format(**values)} ({self.en.format(**values)})"

    def both(self, **values: Any) -> str:
        """The short form for headings and labels: ``中文 English``."""
        return f"{self.zh.format(**values)} {self.en.format(**values)}"


# -- errors: ``错误 error: <sentence>``; a library error's sentence is its own -----------------
ERROR = Text("错误", "error")
CLOSEST = Text("最接近的", "closest")
DATASET_PROBLEMS = Text(
    "数据集有 {n} 处问题，未写入任何内容", "the dataset has {n} problem{s}; nothing was written"
)
UNEXPECTED = Text(
    "意外错误 {kind}：{detail}；加 --debug 查看详情",
    "unexpected {kind}: {detail}; run again with --debug for the traceback",
)
STORE_FILE = Text(
    "无法使用图数据库文件：{detail}（检查 --home 的权限与磁盘空间）",
    "cannot use the store's file: {detail} (check --home's permissions and free space)",
)

# -- files and folders that cannot be written --------------------------------------------------
_OS_REASONS = {
    errno.ENOSPC: Text("磁盘已满", "no space left on the disk"),
    errno.EDQUOT: Text("超出磁盘配额", "disk quota exceeded"),
    errno.EACCES: Text("没有权限", "permission denied"),
    errno.EPERM: Text("没有权限", "permission denied"),
    errno.EROFS: Text("文件系统只读", "the file system is read-only"),
    errno.ENOTDIR: Text("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.EISDIR: Text("这是一个文件夹", "it is a folder"),
    errno.ENOENT: Text("路径不存在", "no such file or folder"),
    errno.ENAMETOOLONG: Text("文件名太长", "the file name is too long"),
    errno.EPIPE: Text("读取的一方已关闭", "the reader closed the pipe"),
}
CANNOT_WRITE = Text("无法写入 {path}：{zh}", "cannot write {path}: {en}")
EXPORT_EXISTS = Text("{path} 已存在：加 --force 覆盖", "{path} exists: add --force to overwrite it")
EXPORT_NOT_EMPTY = Text(
    "文件夹 {path} 不是空的：加 --force 替换它",
    "the folder {path} is not empty: add --force to replace it",
)
OUTPUT_IS_FOLDER = Text(
    "{path} 是一个文件夹，这里要的是文件名", "{path} is a folder; give a file name"
)
OUTPUT_IS_FILE = Text("{path} 是一个文件，这里要的是文件夹", "{path} is a file; give a folder")
PARENT_NOT_FOLDER = Text(
    "{path} 的上级 {parent} 不是文件夹", "{parent}, the parent of {path}, is not a folder"
)
UNKNOWN_FORMAT = Text(
    "未知的导出格式 {fmt}：可用 {formats}", "unknown export format {fmt}: use {formats}"
)

# -- the export report --------------------------------------------------------------------------
EXPORTED = Text(
    "已导出 {nodes} 个节点、{relations} 条关系 → {output}",
    "exported {nodes} nodes and {relations} relations to {output}",
)
EXPORT_PARALLEL = Text(
    "其中 {parallel} 条关系与另一条起止相同：Gephi 导入时会合并它们（导入对话框选“不合并”可保留）",
    "{parallel} relations share both ends with another: Gephi merges them on import "
    "unless its import dialog is told not to merge",
)
EXPORT_MASKED = Text(
    "{masked} 条记录含电话，已打码（加 --show-contact 导出原号码）",
    "{masked} records hold phones, masked (add --show-contact to export them in full)",
)
STAGE_READING = Text("读取图", "reading the graph")
STAGE_NODES = Text("节点", "nodes")
STAGE_RELATIONS = Text("关系", "relations")
STAGE_DONE = Text("完成", "done")
SYNTH = Text("生成", "synth")
DEMO = Text("演示", "demo")

# -- the load report ----------------------------------------------------------------------------
HEAD_CREATED = Text("新增", "created")
HEAD_UPDATED = Text("更新", "updated")
HEAD_REMOVED = Text("删除", "removed")
HEAD_UNCHANGED = Text("未变", "unchanged")
ROW_NODES = Text("节点", "nodes")
ROW_RELATIONS = Text("关系", "relations")
LOAD_NUMBER = Text("第 {seq} 次载入", "load {seq}")
NOTHING_CHANGED = Text("没有变化", "nothing changed")
LOADING = Text("载入 {name}", "loading {name}")


def error_sentence(exc: BaseException) -> str:
    """The sentence of a library error; a dataset's problems get the catalogue's bilingual one."""
    from shanzhi.errors import DataError

    if isinstance(exc, DataError) and str(exc) == DataError(exc.problems).args[0]:
        n = len(exc.problems)
        return DATASET_PROBLEMS(n=n, s="s" if n != 1 else "")
    return str(exc)


def os_error(exc: OSError, path: object) -> str:
    """One sentence for a file or folder that could not be written, with the system's reason."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason is None:
        detail = exc.strerror or str(exc)
        return CANNOT_WRITE(path=path, zh=detail, en=detail)
    return CANNOT_WRITE(path=path, zh=reason.zh, en=reason.en)


# -- validate, stats, pictures, the query library -----------------------------------------------
VALIDATE_OK = Text(
    "{dataset}：无误，{nodes} 个节点、{relations} 条关系",
    "{dataset}: ok — {nodes} nodes, {relations} relations",
)
NONE = Text("无", "(none)")
STATS_LINE = Text(
    "图库 {store} · 数据集 {datasets} · {nodes} 个节点 · {relations} 条关系",
    "store {store} · datasets {datasets} · {nodes} nodes · {relations} relations",
)
BY_KIND = Text("按类型的节点", "nodes by kind")
BY_TYPE = Text("按类型的关系", "relations by type")
BY_TARGET = Text("按类型和终点的关系", "relations by type and target")
COUNT = Text("数量", "count")
PICTURE_WRITTEN = Text(
    "已写入 {path} — {title}，{nodes} 个节点", "wrote {path} — {title}, {nodes} nodes"
)
QUERY_NAME = Text("名称", "name")
QUERY_TITLE = Text("问题", "title")
QUERY_PARAMS = Text("参数", "parameters")

# -- the demo's tour ----------------------------------------------------------------------------
TOUR_LOAD = Text("1 · 载入样例", "load the sample (data/gonghexinlu)")
TOUR_COUNTS = Text(
    "图库 {store} 中有 {nodes} 个节点、{relations} 条关系；`shanzhi stats` 按类型列出",
    "{nodes} nodes, {relations} relations in store {store}; `shanzhi stats` lists them by kind",
)
TOUR_WHO = Text("2 · 谁负责这栋楼", "who covers {building}")
TOUR_AUDIT = Text("3 · 覆盖缺口", "coverage audit")
TOUR_CIRCLE = Text("4 · 善治朋友圈", "the most central partners of each block")
TOUR_PICTURES = Text("5 · 关系图", "pictures")
TOUR_NEXT = Text(
    "接下来可以试试",
    "next, try",
)
STORED_RUN = Text(
    "已保存第 {run} 次计算：{block}，{n} 个成员", "stored run {run}: {block}, {n} members"
)

# -- who-covers' question, the web page's accounts, routing -------------------------------------
ACCEPT_GUESS = Text(
    "是这栋楼就加上 --accept-guess 再查。", "If it is, ask again with --accept-guess."
)
EVERYTHING = Text("全部", "everything")
ACCESS_LOG_TITLE = Text("访问记录", "access log")
# These still speak English only (kept as they are shown, word for word); ``str.format`` fields.
SERVING = "善治 web page: http://{host}:{port}/  (Ctrl-C to stop)"
USERS_TITLE = "web accounts"
USER_ADDED = "added {name} · {role} · {scope}"
USER_REMOVED = "removed {name}"
PASSWORD_CHANGED = "password of {name} changed"
ROUTE_PROGRESS = "route"
ROUTE_FILE_OR_TEXT = "give either a FILE of tickets or --text (one of them)."
ROUTE_OUTPUT = "give -o OUT.xlsx, .csv or .jsonl for the routed list."
