"""Options of the ``cloudpeds/manual`` plugin, as written under ``plugins:`` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config


class ManualConfig(Config):
    enabled = opt.Type(bool, default=True)
    """Turn the plugin off without removing it from mkdocs.yml."""

    manual_dir = opt.Type(str, default="manual")
    """The manual's folder (groups.yml, references/, chapters/), relative to mkdocs.yml."""

    languages = opt.ListOfItems(opt.Choice(("zh", "en")), default=["zh", "en"])
    """Languages of the site, default first. The default language is served at the root,
    the others under ``/<lang>/``."""

    navigation_prune = opt.Choice(("auto", "always", "never"), default="auto")
    """Each page's navigation lists only its own group's chapters and links to the other groups (Material's
    ``navigation.prune``): ``auto`` from 60 chapters in a language, where full lists make every page
    heavy (200 KB a page at 500 chapters, 76 KB pruned) and are too long to browse on a phone."""

    sample_disclaimer = opt.Type(bool, default=True)
    """Show the "sample content, not for clinical use" banner on every page. Turn it off only
    for a manual whose content the hospital has reviewed."""

    share_cards = opt.Type(bool, default=True)
    """Draw a 300×300 share card per chapter page (``og:image``: its title and group) for links pasted into
    WeChat and other apps. Needs ``site_url`` (link previews need absolute image addresses): without it
    pages carry ``og:title`` and ``og:description`` only."""

    site_descriptions = opt.Type(dict, default={})
    """The site's description in other languages (``{en: …}``): the ``<meta name="description">`` of that
    language's pages that have none of their own (``site_description`` is the default language's)."""

    atomic = opt.Type(bool, default=True)
    """Build into a staging folder and swap it into ``site_dir`` only when the build succeeds,
    so a failed build leaves the previous site intact."""

    editions_file = opt.Type(str, default="editions.yml")
    """The editions of the manual (number, label, date, status), inside ``manual_dir``. Without it the
    site has no "What's new" page and no badges."""

    releases_dir = opt.Type(str, default="releases")
    """Where ``cloudpeds publish`` puts each edition (relative to mkdocs.yml). The build compares the
    working copy with the newest edition published there that is older than the working one."""

    baseline = opt.Type(str, default="")
    """A snapshot to compare with instead (``<release>/editions/snapshot.json``), relative to mkdocs.yml."""
