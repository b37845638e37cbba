"""The advertising archive in the admin: read-only runs and page copies, each openable as it looked."""

import re

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from archive.models import ArchiveCapture, ArchiveRun, ArchiveRunPage

BODY_TAG = re.compile(r"<body[^>]*>", re.IGNORECASE)


class ArchiveRunPageInline(admin.TabularInline):
    model = ArchiveRunPage
    extra = 0
    can_delete = False
    fields = ["url", "copy"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("capture").defer("capture__html_gzip")

    @admin.display(description="page copy")
    def copy(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:archive_archivecapture_open", args=[obj.capture_id]),
            f"captured {timezone.localtime(obj.capture.captured_at):%b %-d, %Y, %-I:%M %p %Z}",
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Archive rows are evidence: staff may look, nobody may add, change or delete them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff and super().has_view_permission(request, obj)


@admin.register(ArchiveRun)
class ArchiveRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "trigger", "reason", "status", "page_count", "stored_count"]
    list_filter = ["status", "trigger"]
    date_hierarchy = "started_at"
    fields = [
        "started_at",
        "trigger",
        "reason",
        "status",
        "error",
        "page_count",
        "stored_count",
        "manifest_sha256",
    ]
    readonly_fields = fields
    inlines = [ArchiveRunPageInline]


@admin.register(ArchiveCapture)
class ArchiveCaptureAdmin(ReadOnlyAdmin):
    list_display = ["captured_at", "url", "reason", "approved_by", "size", "short_hash", "open_link"]
    list_filter = ["reason"]
    search_fields = ["url", "sha256", "approved_by"]
    date_hierarchy = "captured_at"
    fields = ["url", "captured_at", "reason", "approved_by", "sha256", "size", "run", "open_link"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("html_gzip")

    def get_urls(self):
        view = self.admin_site.admin_view(self.open_view)
        return [path("<int:pk>/open/", view, name="archive_archivecapture_open"), *super().get_urls()]

    @admin.display(description="sha256")
    def short_hash(self, obj):
        return format_html('<code title="{}">{}…</code>', obj.sha256, obj.sha256[:12])

    @admin.display(description="copy")
    def open_link(self, obj):
        url = reverse("admin:archive_archivecapture_open", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">Open as it looked</a>', url)

    def open_view(self, request, pk):
        """The stored page, exactly as captured, under a banner; sandboxed so nothing in it runs."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        capture = get_object_or_404(ArchiveCapture, pk=pk)
        when = timezone.localtime(capture.captured_at).strftime("%B %-d, %Y, %-I:%M %p %Z")
        banner = format_html(
            '<div role="note" style="position:sticky;top:0;z-index:9999;background:#fff3cd;color:#1a1a1a;'
            "border-bottom:2px solid #8a6d00;padding:.6em 1em;font:15px/1.4 system-ui,sans-serif;"
            'overflow-wrap:anywhere">'
            "<strong>Archive copy, not the live site.</strong> {} as captured on {} ({}). sha256 {}</div>",
            capture.url,
            when,
            capture.reason,
            capture.sha256,
        )
        html = capture.html().decode("utf-8", errors="replace")
        html = BODY_TAG.sub(lambda m: m.group(0) + str(banner), html, count=1)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        # Scripts never run and nothing loads from anywhere; the inlined styles and images still show.
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        )
        response["X-Robots-Tag"] = "noindex"
        add_never_cache_headers(response)
        return response
