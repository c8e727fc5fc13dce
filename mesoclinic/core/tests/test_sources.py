"""Clinical pages cite sources in words, never the project's file names."""

from mesoclinic.core.templatetags.sources import plain_source


def test_it_names_the_projects_files_as_what_they_are():
    seeded = (
        "CLINICAL.md: Contraindications, absolute: pregnancy; seed guide: not recommended "
        "during pregnancy (shared/CLINICAL.md)"
    )
    assert plain_source(seeded) == (
        "mesoclinic clinical reference: Contraindications, absolute: pregnancy; mesoclinic "
        "patient guide: not recommended during pregnancy (mesoclinic clinical reference)"
    )
    assert plain_source(None) == ""
