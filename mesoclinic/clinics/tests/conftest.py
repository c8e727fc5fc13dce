from mesoclinic.clinics.tests.fixtures import staffed_clinic  # noqa: F401 (for this folder)
