"""Job functions for the jobs tests (importable by dotted path, as real ones are)."""

from gongxin.core.errors import DomainError

TICKS = []


def count_to(*, job, progress, n: int, fail_at: int | None = None):
    progress.set_total(n, "计数")
    for i in range(n):
        if fail_at is not None and i == fail_at:
            raise RuntimeError(f"boom at {i}")
        progress.advance(1)
    progress.save_file("count.txt", f"{n}\n".encode(), "text/plain")
    return {"summary": f"数到 {n}"}


def refuse(*, job, progress):
    raise DomainError("sample.refused", "文件第 3 行缺少姓名。")


def tick():
    TICKS.append(1)


def broken():
    raise ValueError("periodic failure")
