"""The request list's filters: open requests by default, and who a request is assigned to."""

from django.contrib import admin

from consultations.models import ConsultationRequest


class StatusFilter(admin.SimpleListFilter):
    """Open requests by default: closed ones and spam are one click away ("All")."""

    title = "status"
    parameter_name = "status__exact"  # the same parameter as a plain status filter, so old links keep working
    ALL = "all"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        # A search by name or number looks through every request, closed or not.
        self.searching = bool(request.GET.get("q", "").strip())
        # An action on rows ticked one by one applies to exactly those rows, whatever their status.
        self.ticked = (
            request.method == "POST"
            and request.POST.get("select_across", "0") == "0"
            and bool(request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME))
        )

    def lookups(self, request, model_admin):
        return [*ConsultationRequest.Status.choices, (self.ALL, "All, with closed and spam")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Any (searching)" if self.searching else "Open (not closed or spam)",
        }
        for value, title in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset if self.searching or self.ticked else queryset.open()
        if value == self.ALL:
            return queryset
        return queryset.filter(status=value)


class AssigneeFilter(admin.SimpleListFilter):
    title = "assigned to"
    parameter_name = "assigned"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.user = request.user

    def lookups(self, request, model_admin):
        return [("mine", "Mine"), ("none", "Unassigned")]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(assignee=self.user)
        if self.value() == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset
