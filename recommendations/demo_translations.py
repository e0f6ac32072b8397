"""Demo translations: the final recommendations of the published edition and one more in French
and Arabic, made by the organisations their drafters invite as translators (Lyon into French,
Beirut into Arabic), through the services. One translation is of an older version of its
original, so the demo shows an outdated translation and what changed since.

Called by ``workspace.demo.seed_publication`` before the edition is published. Idempotent.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from accounts.models import Organisation, User

from . import translations
from .models import Recommendation

# The demo themes' names, in the catalogues so that an edition's documents in French and
# Arabic name their themes in those languages.
THEME_NAMES = [
    gettext_noop("Social inclusion"),
    gettext_noop("Employment"),
    gettext_noop("Human rights and access to basic services"),
    gettext_noop("Refugee accommodation"),
    gettext_noop("Social housing and urbanisation"),
    gettext_noop("Education"),
    gettext_noop("Inter-institutional coordination"),
]

# Who translates into which language: an organisation the drafters invite.
TRANSLATORS = {"fr": "lyon", "ar": "beirut"}

# (original title, version translated: None for the one readers see now, {language: (title,
# summary, body)}).
TRANSLATIONS = [
    (
        "Small-scale accommodation before large reception centres",
        None,
        {
            "fr": (
                "Privilégier les petits logements aux grands centres d’accueil",
                "",
                "L’accueil devrait privilégier des logements de petite taille, répartis dans des "
                "quartiers ordinaires, plutôt que de grands centres collectifs.\n\n"
                "| Option | Résidents | Intégration |\n"
                "|---|---|---|\n"
                "| Appartements | 2-6 | élevée |\n"
                "| Centres | 200+ | faible |",
            ),
            "ar": (
                "تفضيل المساكن الصغيرة على مراكز الاستقبال الكبيرة",
                "",
                "ينبغي أن يُفضَّل في الاستقبال السكنُ الصغير الموزَّع على الأحياء العادية على "
                "المراكز الجماعية الكبيرة.\n\n"
                "| الخيار | عدد المقيمين | الاندماج |\n"
                "|---|---|---|\n"
                "| شقق | 2-6 | مرتفع |\n"
                "| مراكز | 200+ | منخفض |",
            ),
        },
    ),
    (
        "Language support in every school that receives newcomers",
        None,
        {
            "fr": (
                "Un soutien linguistique dans chaque école qui accueille des élèves "
                "nouvellement arrivés",
                "",
                "Les écoles qui accueillent des élèves nouvellement arrivés devraient leur "
                "offrir un soutien linguistique intensif pendant le temps scolaire "
                "ordinaire.[^1]\n\n"
                "[^1]: Non pas à la place des cours ordinaires, mais en complément de ceux-ci.",
            ),
            "ar": (
                "دعم لغوي في كل مدرسة تستقبل تلاميذ وافدين جددًا",
                "",
                "ينبغي للمدارس التي تستقبل تلاميذ وافدين جددًا أن توفّر لهم دعمًا لغويًا مكثفًا "
                "خلال ساعات الدوام المدرسي العادية.[^1]\n\n"
                "[^1]: لا بديلًا عن الحصص الدراسية العادية، بل إلى جانبها.",
            ),
        },
    ),
    (
        "Direct access to funding for cities",
        None,
        {
            "fr": (
                "Un accès direct des villes aux financements",
                "",
                "Les bailleurs de fonds devraient ouvrir des lignes de financement auxquelles "
                "les villes peuvent candidater directement, sans passer par des intermédiaires "
                "nationaux.",
            ),
            "ar": (
                "وصول المدن المباشر إلى التمويل",
                "",
                "ينبغي للجهات المانحة أن تفتح خطوط تمويل يمكن للمدن أن تتقدّم إليها مباشرةً، "
                "دون المرور عبر وسطاء وطنيين.",
            ),
        },
    ),
    (
        # Translated from version 1; version 2 changed both paragraphs and added a third, so
        # the translation is outdated and its translators see what to update.
        "Give newcomers one front door to local services",
        1,
        {
            "fr": (
                "Offrir aux nouveaux arrivants une porte d’entrée unique vers les services locaux",
                "Un seul lieu, une seule visite, plusieurs langues.",
                "Les villes devraient ouvrir un guichet unique d’accueil où les nouveaux "
                "arrivants trouvent des conseils en matière de logement, de santé, de langue "
                "et de droit.\n\n"
                "Le guichet d’accueil devrait fonctionner dans les principales langues "
                "d’arrivée.",
            ),
            "ar": (
                "بوابة واحدة للوافدين الجدد إلى الخدمات المحلية",
                "مكان واحد، وزيارة واحدة، وعدة لغات.",
                "ينبغي للمدن أن تفتح نقطة استقبال موحدة يجد فيها الوافدون الجدد المشورة في "
                "مجالات السكن والصحة واللغة والشؤون القانونية.\n\n"
                "وينبغي أن تعمل نقطة الاستقبال باللغات الرئيسية للوافدين.",
            ),
        },
    ),
]


# The published edition's title and preamble in French and Arabic (workspace.demo's
# EDITION_TITLE and EDITION_PREAMBLE), for its documents in those languages.
EDITION_TRANSLATIONS = {
    "fr": {
        "title": "Recommandations de la conférence MC2CM, Beyrouth 2017",
        "preamble": (
            "Ces recommandations ont été rédigées par les villes du projet Migration de ville à "
            "ville en Méditerranée et leurs partenaires, débattues lors des événements "
            "d’apprentissage entre pairs, approuvées par les modérateurs et rendues définitives "
            "par le secrétariat de la conférence.\n\n"
            "Chaque recommandation désigne les acteurs auxquels elle s’adresse et les "
            "organisations qui l’appuient."
        ),
    },
    "ar": {
        "title": "توصيات مؤتمر MC2CM، بيروت 2017",
        "preamble": (
            "صاغت هذه التوصياتِ مدنُ مشروع الهجرة المتوسطية من مدينة إلى مدينة وشركاؤها، "
            "ونوقشت خلال فعاليات التعلم من الأقران، واعتمدها المشرفون، وأقرّتها أمانة المؤتمر "
            "بصيغتها النهائية.\n\n"
            "وتحدد كل توصية الجهات الموجهة إليها والمنظمات التي تؤيدها."
        ),
    },
}


def seed_translations() -> int:
    """Invite the translators and save the translations that do not exist yet; answer how
    many were saved."""
    made = 0
    for title, version, texts in TRANSLATIONS:
        rec = Recommendation.objects.filter(title=title).select_related("lead_organisation").first()
        if rec is None:
            continue
        lead = User.objects.get(username=rec.lead_organisation.slug)
        for language, (translated_title, summary, body) in texts.items():
            if rec.translations.filter(language=language).exists():
                continue
            org = Organisation.objects.get(slug=TRANSLATORS[language])
            if not translations.translator_organisations(rec).filter(pk=org.pk).exists():
                translations.add_translator(rec, organisation=org, actor=lead)
            translations.save_translation(
                rec,
                actor=User.objects.get(username=org.slug),
                language=language,
                base_version=version or rec.text_version,
                title=translated_title,
                summary=summary,
                body=body,
            )
            made += 1
    return made
