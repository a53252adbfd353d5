from django.contrib import admin

from .models import Account, Entry

admin.site.register(Account)
admin.site.register(Entry)
