"""The treatment maps' zones: stable codes per map, like the screening vocabulary (extend,
never rename: charted sessions refer to them). Pure Python, no Django."""

FACE = (
    "forehead",
    "glabella",
    "periorbital_right",
    "periorbital_left",
    "nose",
    "cheek_right",
    "cheek_left",
    "upper_lip",
    "chin",
    "jawline_right",
    "jawline_left",
    "neck",
)
SCALP = ("frontal", "midscalp", "vertex", "temporal_right", "temporal_left", "occipital")
BODY = (
    "submental",
    "arm_right",
    "arm_left",
    "abdomen",
    "flank_right",
    "flank_left",
    "thigh_right",
    "thigh_left",
)

#: The map a procedure is charted on.
MAPS = {"mesotherapy_face": FACE, "mesotherapy_scalp": SCALP, "injection_lipolysis": BODY}


def unknown(codes, procedure: str) -> list[str]:
    """The zone codes that are not on the procedure's map."""
    allowed = set(MAPS.get(procedure, ()))
    return sorted(code for code in codes if code not in allowed)
