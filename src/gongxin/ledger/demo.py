"""Demo: runs last. Signs two dated checkpoints over earlier prefixes (as the milestones of the
demo year would have) and one over everything, then verifies the whole ledger."""

import datetime as dt

from django.utils import timezone

from .checkpoints import latest_checkpoint, sign_checkpoint, sign_past_checkpoint
from .tree import current_size
from .verification import verify_ledger


def build(ctx) -> None:
    size = current_size()
    if latest_checkpoint() is None and size >= 3:
        tz = timezone.get_current_timezone()
        for fraction, days_ago, reason in ((1 / 3, 60, "演示：推荐会议投票结束"), (2 / 3, 20, "演示：常委会作出决定")):
            at = dt.datetime.combine(ctx.today - dt.timedelta(days=days_ago), dt.time(17, 30), tzinfo=tz)
            sign_past_checkpoint(size=max(1, int(size * fraction)), reason=reason, signed_at=at)
    cp = sign_checkpoint(reason="演示数据生成完毕")
    result = verify_ledger()
    ctx.data["ledger_checkpoint"] = cp
    ctx.built("ledger", f"账本共 {result.size} 条事件、{result.checkpoints} 个签名检查点，全部验证通过（根哈希 {result.root.hex()[:16]}…）")
