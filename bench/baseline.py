"""The everyday-Django baseline for bench/read_side.py: a plain DRF list.

A ModelSerializer over the same crossing rows, no caching, no pre-serialisation:
what a typical DRF endpoint costs. Routed only by bench's own urlconf
(bench/urls.py, through bench/settings.py); never in production.
"""

from rest_framework import generics, serializers

from routes.models import BorderCrossing


class PlainCrossingSerializer(serializers.ModelSerializer):
    class Meta:
        model = BorderCrossing
        exclude = ["last_actor_label"]


class PlainCrossingList(generics.ListAPIView):
    queryset = BorderCrossing.objects.all()
    serializer_class = PlainCrossingSerializer
    pagination_class = None
    throttle_classes: list = []
    filter_backends: list = []
