from django.contrib import admin

from .models import Booking


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    """For looking things up; bookings change state only through the house's pages (the services)."""

    list_display = ["room", "start", "end", "status", "tier", "price"]
    list_filter = ["status", "tier", "room__place__house__neighbourhood__district"]
    search_fields = ["room__name", "room__place__house__name", "renter__email", "contact_name", "purpose"]
    list_select_related = ["room__place"]
    date_hierarchy = "start"
    readonly_fields = [field.name for field in Booking._meta.fields]

    def has_add_permission(self, request):
        return False
