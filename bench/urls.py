"""Every production URL, plus the baseline the read-side benchmark compares with."""

from django.urls import path

from bench.baseline import PlainCrossingList
from exitwatch.urls import urlpatterns as production

urlpatterns = [
    path("api/v1/bench/plain-crossings/", PlainCrossingList.as_view()),
    *production,
]
