"""Read-only API representations of the catalogue's snippets (Wagtail API v2)."""

from rest_framework import serializers


class DistrictSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class VenueSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    kind = serializers.CharField()
    address = serializers.CharField()
    district = DistrictSerializer()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    step_free = serializers.BooleanField()
    computers = serializers.IntegerField()
    map_url = serializers.CharField()


class CategorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class TermSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
