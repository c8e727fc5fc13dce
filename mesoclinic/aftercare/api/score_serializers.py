"""The scores endpoints' JSON, for the OpenAPI schema. A request is read by the calculator's own
strict reader (`aftercare.scales`), so the API, the entry forms and the stored score accept
exactly the same inputs; the request serializers here, built from `scales.FIELDS`, describe
that contract per scale and validate nothing themselves."""

from rest_framework import serializers

from mesoclinic.aftercare import scales
from mesoclinic.aftercare.models import OutcomeScore
from mesoclinic.restapi.schema import ClosedObject

_BANDS = {
    "fitzpatrick": scales.SKIN_TYPES,
    "gais": scales.GAIS_BANDS,
    "norwood": scales.NORWOOD_STAGES,
    "ludwig": scales.LUDWIG_STAGES,
    "glogau": scales.GLOGAU_TYPES,
}
_TITLE = {
    "masi": "Masi",
    "mmasi": "Mmasi",
    "fitzpatrick": "Fitzpatrick",
    "gais": "Gais",
    "norwood": "Norwood",
    "ludwig": "Ludwig",
    "hair_count": "HairCount",
    "glogau": "Glogau",
    "satisfaction": "Satisfaction",
}
_HELP = {
    "masi": "MASI (Kimbrough-Green 1994): Σ weight × area × (darkness + homogeneity), 0–48. "
    "Every region is required (0 where there is no melasma). No cited banding: band is null.",
    "mmasi": "mMASI (Pandya 2011): Σ weight × area × darkness, 0–24. Every region is required. "
    "No cited banding: band is null.",
    "fitzpatrick": "Ten answers 0–4, summed; band the skin type I–VI "
    "(banding 0–6 I, 7–13 II, 14–20 III, 21–27 IV, 28–34 V, ≥35 VI).",
    "gais": "Global Aesthetic Improvement Scale, 1 very much improved … 5 worse; band the label.",
    "norwood": "Norwood–Hamilton stage; score its place in the published order (1 = I … 12 = "
    "VII), band the stage.",
    "ludwig": "Ludwig stage I–III; score 1–3, band the stage.",
    "hair_count": "Hairs counted in a marked area; score the density per cm² (two decimals), "
    "band null.",
    "glogau": "Glogau photoageing type I (no wrinkles) – IV (only wrinkles); score 1–4, band the "
    "type.",
    "satisfaction": "Patient satisfaction 0–10; band null.",
}


def _field(field: scales.Field):
    if field.kind == "whole":
        return serializers.IntegerField(min_value=field.lo, max_value=field.hi)
    if field.kind == "number":
        return serializers.DecimalField(
            max_digits=6,
            decimal_places=2,
            min_value=field.lo,
            max_value=field.hi,
            coerce_to_string=False,
        )
    return serializers.ChoiceField(choices=field.choices)


def _request(scale: str) -> type[serializers.Serializer]:
    fields = scales.FIELDS[scale]
    attrs: dict = {}
    if scale == "fitzpatrick":
        attrs["answers"] = serializers.ListField(
            child=serializers.IntegerField(min_value=0, max_value=4), min_length=10, max_length=10
        )
    else:
        groups: dict[str, dict] = {}
        for field in fields:
            group, _, name = field.path.rpartition(".")
            if group:
                groups.setdefault(group, {})[name] = _field(field)
            else:
                attrs[name] = _field(field)
        if groups:
            region = type(f"{_TITLE[scale]}Region", (ClosedObject,), next(iter(groups.values())))
            attrs.update({group: region() for group in groups})
    # The reader refuses any key it does not know, at the top and in each region.
    return type(f"{_TITLE[scale]}Score", (ClosedObject,), attrs)


def _result(scale: str) -> type[serializers.Serializer]:
    bands = _BANDS.get(scale)
    band = (
        serializers.ChoiceField(choices=bands, allow_null=True)
        if bands
        else serializers.CharField(allow_null=True, help_text="Null: no cited banding.")
    )
    attrs = {"score": serializers.FloatField(), "band": band}
    return type(f"{_TITLE[scale]}ScoreResult", (serializers.Serializer,), attrs)


REQUESTS = {scale: _request(scale) for scale in scales.SCALES}
RESULTS = {scale: _result(scale) for scale in scales.SCALES}
HELP = _HELP


class OutcomeScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = OutcomeScore
        fields = [
            "id",
            "patient",
            "clinic",
            "course",
            "session",
            "scale",
            "rater",
            "inputs",
            "value",
            "band",
            "scored_at",
            "scored_by",
        ]
