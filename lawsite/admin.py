from django.conf import settings
from django.contrib import admin

admin.site.site_header = f"{settings.FIRM['name']}: website"
admin.site.site_title = "Website admin"
admin.site.index_title = "Articles and consultation requests"
