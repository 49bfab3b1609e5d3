"""Check the comparisons in the database against the content rules (docs/quiz.md).

Contract: prints, per comparison, its scenarios, against-type share, most
predictive word, retold share and classifier accuracy, then every warning
(a claim past its review date) and every finding (comparison, item, rule,
message); exits non-zero when there is any finding (warnings do not count).
Reads only.
"""

from django.core.management.base import BaseCommand, CommandError

from explainer import content_checks, content_rules
from explainer.models import Comparison


class Command(BaseCommand):
    help = "Report quiz and consistency problems in the content; exit non-zero if there are any."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Comparisons to check (default: all).")

    def handle(self, *args, slugs=(), **options):
        comparisons = (
            Comparison.objects.filter(slug__in=slugs) if slugs else Comparison.objects.filter(draft_of__isnull=True)
        )
        unknown = set(slugs) - set(comparisons.values_list("slug", flat=True))
        if unknown:
            raise CommandError(f"No comparison with slug {', '.join(sorted(unknown))}.")
        # All of them: no filter (a list of a thousand slugs is an SQL expression SQLite refuses).
        found, everything = content_checks.check(list(comparisons) if slugs else None)
        checked = {c.slug for c in comparisons}
        for data in everything:
            if data.slug in checked:
                self.stdout.write(content_rules.summary_line(data))
        # Warnings (claims past their review date) are printed but fail nothing: see docs/decisions.md.
        for warning in content_rules.warnings(found):
            self.stdout.write(self.style.WARNING(str(warning)))
        findings = content_rules.errors(found)
        for finding in findings:
            self.stdout.write(str(finding))
        if findings:
            raise CommandError(f"{len(findings)} finding(s) in {len(checked)} comparison(s).")
        self.stdout.write(self.style.SUCCESS(f"{len(checked)} comparison(s) checked: no findings."))
