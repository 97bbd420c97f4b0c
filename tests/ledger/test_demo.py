import pytest

from gongxin.core.demo import DemoContext
from gongxin.ledger import demo
from gongxin.ledger.models import Checkpoint
from gongxin.ledger.verification import verify_ledger


@pytest.mark.django_db
def test_demo_signs_dated_checkpoints_that_verify(cast):
    ctx = DemoContext(verbose=False)
    demo.build(ctx)
    sizes = list(Checkpoint.objects.order_by("id").values_list("size", flat=True))
    assert len(sizes) == 3 and sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert ctx.data["ledger_checkpoint"].size == sizes[-1]
    assert verify_ledger().checkpoints == 3
    demo.build(ctx)  # a second run adds nothing new
    assert Checkpoint.objects.count() == 3
