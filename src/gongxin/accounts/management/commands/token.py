"""``gongxin token USERNAME NAME``: issue an API bearer token (shown once)."""

from django.core.management.base import BaseCommand, CommandError

from gongxin.accounts import actions
from gongxin.accounts.models import User


class Command(BaseCommand):
    help = "为账号签发接口令牌（只显示一次）。Issue an API token for a user (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="令牌用途 / what the token is for")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有账号 {username}。No such user.")
        self.stdout.write(actions.issue_api_token(acting_user=None, user=user, name=name))
