import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongxin.settings")
os.environ.setdefault("GONGXIN_CREATE_DATA_DIR", "1")  # a server: it may create ./data
application = get_wsgi_application()
