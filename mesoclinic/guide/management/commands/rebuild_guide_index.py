from django.core.management.base import BaseCommand

from mesoclinic.guide.services import rebuild_search_index


class Command(BaseCommand):
    help = "Rebuild the guide's search index from the published topics and questions."

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {rebuild_search_index()} documents.")
