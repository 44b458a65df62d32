"""Every rule of the bundled pack, on lines it must remove and look-alike content it must keep.

The lines are written for these tests (not taken from the seed articles), so a rule that passes
here matches the family of cruft, not one site's sentence.
"""

from __future__ import annotations

import pickle
import random
import re
import time

import pytest

from tests.conftest import make_doc
from tests.random_patterns import random_pattern
from transforms.clean import (
    STRUCTURAL_RULES,
    CleanConfig,
    RulePackError,
    StripCruft,
    StripCruftFn,
    apply_rules,
    parse_rule_pack,
    read_clean_files,
)
from transforms.clean.removal import Removal
from transforms.clean.rule_pack import without_quoted_titles
from transforms.rule_prefilter import folded
from transforms.rule_safety import backtracking_risk, search_steps

# (line, rule code that must remove the whole line)
REMOVE = [
    ("Share your thoughts in the comments below!", "comment_prompt"),
    ("What do you think? Share your views in the comments.", "comment_prompt"),
    ("Do you agree? Let us know what you think in the comments!", "comment_prompt"),
    ("Tell us in the comments below.", "comment_prompt"),
    ("Leave a comment below and join the discussion!", "comment_prompt"),
    ("Leave a Reply", "comment_widget"),
    ("Leave a comment", "comment_widget"),
    ("12 Comments", "comment_widget"),
    ("No comments", "comment_widget"),
    ("Comments are closed.", "comment_widget"),
    ("Cancel reply", "comment_widget"),
    ("You must be logged in to post a comment.", "comment_widget"),
    ("34 responses to “Coach: we needed to win this game”", "comment_heading"),
    ("6 thoughts on “How to plant tulips in autumn”", "comment_heading"),
    ("View Comments", "comment_heading"),
    ("Show more comments (20)", "comment_heading"),
    ("Posted in Open thread | Permalink | 10 Comments", "comment_heading"),
    ("Search 87 Comments Log In/Create an Account", "comment_heading"),
    ("[ 167 comments ]", "comment_heading"),
    ("Top Rated Comments", "comment_heading"),
    ("Join the conversation", "comment_heading"),
    ("Leave a comment Cancel reply", "comment_heading"),
    ("Your email address will not be published. Required fields are marked *", "comment_heading"),
    ("2 days ago at 07:52 am", "comment_meta"),
    ("Image Credit: WeWork", "image_credit"),
    ("Photograph: Tim Robberts/Getty Images", "image_credit"),
    ("Protesters have worn masks to protect their identities (Image: GETTY )", "image_credit"),
    ("Sanjeev Verma/Hindustan Times/Getty Images", "image_credit"),
    ("Alex Wong | Getty Images", "image_credit"),
    ("When you buy through our links, we may earn a commission.", "affiliate_disclosure"),
    ("This post contains affiliate links.", "affiliate_disclosure"),
    ("Example.com is a participant in the Amazon Services LLC Associates Program, an affiliate advertising program.", "affiliate_disclosure"),
    ("About the Author", "author_box"),
    ("More stories by Jane Doe", "author_box"),
    ("Brigit Katz is a freelance writer based in Toronto.", "author_box"),
    ("Phil Helsel is a reporter for NBC News.", "author_box"),
    ("thelastfan says:", "comment_meta"),
    ("Gary M on September 17, 2018 at 8:50 pm said:", "comment_meta"),
    ("November 19, 2019 at 6:34 am", "comment_meta"),
    ("19/11/2019 @ 18:02", "comment_meta"),
    ("Re: What could go wrong? (Score:3, Insightful)", "comment_meta"),
    ("by ozmartian ( 5754788 ) writes: on Friday December 19, 2025 @08:08PM (#65870295) Homepage", "comment_meta"),
    ("This site uses Akismet to reduce spam. Learn how your comment data is processed.", "akismet_notice"),
    ("Learn how your comment data is processed.", "akismet_notice"),
    ("AdBlock Detected", "adblock_notice"),
    ("Ad blocker detected", "adblock_notice"),
    ("Please consider whitelisting us in your ad blocker.", "adblock_notice"),
    ("It looks like you're using an ad blocker. Please turn it off to keep reading.", "adblock_notice"),
    ("Kindly pause your AdBlock for this site to continue.", "adblock_notice"),
    ("You might also like", "related_links"),
    ("Related Articles", "related_links"),
    ("More stories", "related_links"),
    ("Read more:", "related_links"),
    ("Recommended for you", "related_links"),
    ("Most Read", "related_links"),
    ("More in Tech", "related_links"),
    ("Trending on Mashable", "related_links"),
    ("Read the full story at Reuters.", "read_original"),
    ("See the original article on the BBC website.", "read_original"),
    ("This article originally appeared in The Conversation.", "read_original"),
    ("Home » Business » Markets slide as rates rise", "breadcrumb"),
    ("Home > Sport > Football", "breadcrumb"),
    ("News / World / Europe", "breadcrumb"),
    ("Politics › Elections › Local results", "breadcrumb"),
    ("By Maria Lopez", "byline"),
    ("by Anna Schmidt and Tom Baker", "byline"),
    ("Written by John O'Neill, Staff Reporter".replace(",", ""), "byline"),
    ("Posted by Admin", "byline"),
    ("Share", "share_prompt"),
    ("Share on Facebook", "share_prompt"),
    ("Print", "share_prompt"),
    ("Share this article", "share_prompt"),
    ("Follow us on Twitter and Instagram for updates", "share_prompt"),
    ("Facebook Twitter LinkedIn Email", "share_prompt"),
    ("Sign up for our daily newsletter.", "newsletter_prompt"),
    ("Subscribe to our newsletter to get the latest news in your inbox!", "newsletter_prompt"),
    ("Subscribe now", "newsletter_prompt"),
    ("We use cookies to improve your experience on our site.", "cookie_notice"),
    ("This website uses cookies.", "cookie_notice"),
    ("Accept all cookies", "cookie_notice"),
    ("Advertisement", "advertisement_label"),
    ("Anzeige", "advertisement_label"),
    ("Story continues below advertisement", "advertisement_label"),
    ("Photo: Damian Dovarganes, AP", "image_credit"),
    ("Foto: Marijan Murat/dpa", "image_credit"),
    ("(Photo by Jane Doe/Getty Images)", "image_credit"),
    ("Getty Images", "image_credit"),
    ("© 2019 Hearst Communications, Inc.", "copyright_footer"),
    ("Copyright 2024 The Daily Courier. All rights reserved.", "copyright_footer"),
    ("Alle Rechte vorbehalten.", "copyright_footer"),
    ("Updated 1:39 am EST, Wednesday, November 20, 2019", "dateline"),
    ("Published on March 3, 2024", "dateline"),
    ("Aktualisiert am 12.03.2024, 10:15 Uhr", "dateline"),
    ("Subscribe to continue reading.", "paywall_notice"),
    ("This article is only available to subscribers.", "paywall_notice"),
    ("You have reached your limit of free articles this month.", "paywall_notice"),
    ("Folgen Sie uns auf Twitter", "follow_prompt"),
    ("Suivez-nous sur Facebook", "follow_prompt"),
    ("Teilen", "follow_prompt"),
    ("Newsletter abonnieren", "follow_prompt"),
    ("Mehr zum Thema", "related_links_intl"),
    ("Lire aussi", "related_links_intl"),
    ("Читайте также", "related_links_intl"),
    ("관련기사", "related_links_intl"),
    ("Você pode gostar...", "related_links_intl"),
    ("Notícias relacionadas", "related_links_intl"),
    ("Articoli correlati", "related_links_intl"),
    ("También te puede interesar:", "related_links_intl"),
    ("Reply to comment", "ui_widget"),
    ("Learn more", "ui_widget"),
    ("Book Now", "ui_widget"),
    ("See price at Amazon", "ui_widget"),
    ("6 months ago", "ui_widget"),
    ("32M ago", "ui_widget"),
    ("Tags: ads, advertisement, awareness, meth, methamphetamine, nation, news", "tag_row"),
    ("Filed Under:Eastern Equine Encephalitis, EEE, health, Michigan", "tag_row"),
    ("Category: Personal Finance 101", "tag_row"),
    ("Schlagwörter: Bundestag, Haushalt", "tag_row"),
    ("Utilizziamo i cookie per essere sicuri che tu possa avere la migliore esperienza sul nostro sito.", "cookie_notice"),
    ("Este site utiliza cookies para melhorar a sua experiência.", "cookie_notice"),
    ("Nous utilisons des cookies pour améliorer votre expérience.", "cookie_notice"),
    ("Wir verwenden Cookies, um Ihnen ein optimales Erlebnis zu bieten.", "cookie_notice"),
    ("1H ago", "ui_widget"),
    ("5 min ago", "ui_widget"),
    ("Loading prices for your region…", "ui_widget"),
    ("Pinterest", "ui_widget"),
    ("Back to top", "ui_widget"),
    ("Thank you! Your submission has been received!", "ui_widget"),
    # inline families (issue 15): between two paragraphs, not only as a bare heading
    ("Related: Bus fares to rise in April", "related_teaser"),
    ("Read more: Council approves new budget", "related_teaser"),
    ("READ MORE: Police name victim of crash", "related_teaser"),
    ("See also: The history of the tram line", "related_teaser"),
    ("Also read: Bus fares to rise in April", "related_teaser"),
    ("Related Coverage | Storm hits the coast", "related_teaser"),
    ("Mehr zum Thema: Busse werden teurer", "related_teaser"),
    ("Lesen Sie auch: Busse werden teurer", "related_teaser"),
    ("Weiterlesen: Die Bahn erhöht die Preise", "related_teaser"),
    ("À lire aussi : Les prix de l'énergie augmentent", "related_teaser"),
    ("Voir aussi: La réforme des retraites", "related_teaser"),
    ("Lee también: El Gobierno aprueba los presupuestos", "related_teaser"),
    ("Leggi anche: Il governo approva la manovra", "related_teaser"),
    ("Ti potrebbe interessare: Roma, chiude la metro", "related_teaser"),
    ("By Marcus Bell, Staff Writer", "byline"),
    ("By Jane Doe | CNN", "byline"),
    ("By Li Wei and Sam Ortiz, Associated Press", "byline"),
    ("By JANE DOE, The Daily Courier", "byline"),
    ("By The Associated Press", "byline"),
    ("By Courier Staff", "byline"),
    ("By STAFF", "byline"),
    ("Von Sina Giebel", "byline"),
    ("Par Jean-Pierre Martin", "byline"),
    ("Por Ana García López", "byline"),
    ("Share on Facebook Share on Twitter Share via Email", "share_prompt"),
    ("Share this story", "share_prompt"),
    ("Teilen Sie diesen Artikel", "share_prompt"),
    ("Teilen Sie dies mit:", "share_prompt"),
    ("Diesen Artikel teilen", "share_prompt"),
    ("Partager cet article", "share_prompt"),
    ("Compartir esta noticia", "share_prompt"),
    ("Condividi questo articolo", "share_prompt"),
    ("Sign up for our daily briefing", "newsletter_prompt"),
    ("Get the latest local news in your inbox", "newsletter_prompt"),
    ("The best stories of the day, delivered to your inbox.", "newsletter_prompt"),
    ("Abonnieren Sie unseren kostenlosen Newsletter", "newsletter_prompt"),
    ("Inscrivez-vous à notre newsletter", "newsletter_prompt"),
    ("Suscríbete a nuestro boletín", "newsletter_prompt"),
    ("Iscriviti alla nostra newsletter", "newsletter_prompt"),
    ("Subscribe to our newsletters for weekly updates.", "newsletter_prompt"),
    ("Réagissez à cet article", "comment_prompt"),
    ("Laissez un commentaire", "comment_prompt"),
    ("Kommentieren Sie diesen Artikel", "comment_prompt"),
    ("Deja tu comentario", "comment_prompt"),
    ("Lascia un commento", "comment_prompt"),
    ("Auch interessant", "related_links_intl"),
    ("Das könnte Dich auch interessieren", "related_links_intl"),
    # cruft-v3: blog and CMS theme furniture in the languages of Western and Central Europe
    ("Schreibe einen Kommentar", "comment_widget"),
    ("Kommentar verfassen", "comment_widget"),
    ("Laisser une réponse", "comment_widget"),
    ("Deja una respuesta", "comment_widget"),
    ("Lascia una risposta", "comment_widget"),
    ("Deixe um comentário", "comment_widget"),
    ("Geef een reactie", "comment_widget"),
    ("Dodaj komentarz", "comment_widget"),
    ("Deixe seu comentário sobre esta matéria!", "comment_prompt"),
    ("Laat een reactie achter onder dit artikel.", "comment_prompt"),
    ("Dodaj komentarz do tego artykułu!", "comment_prompt"),
    ("3 Kommentare", "comment_widget"),
    ("Aucun commentaire", "comment_widget"),
    ("Kommentare sind geschlossen.", "comment_widget"),
    ("Vos réactions (11)", "comment_widget"),
    ("Schreibe einen Kommentar Antworten abbrechen", "comment_heading"),
    ("Kommentar verfassen Antwort abbrechen", "comment_heading"),
    ("Spuren hinterlassen... Antwort abbrechen", "comment_heading"),  # a theme's own heading
    ("Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert", "comment_heading"),
    ("Votre adresse e-mail ne sera pas publiée.", "comment_heading"),
    ("Tu dirección de correo electrónico no será publicada.", "comment_heading"),
    ("Sie müssen sich anmelden, um Kommentare zu schreiben.", "comment_heading"),
    ("Über den Autor", "author_box"),
    ("À propos de l'auteur", "author_box"),
    ("Ähnliche Beiträge", "related_links_intl"),
    ("Neueste Beiträge", "related_links_intl"),
    ("Schon gelesen?", "related_links_intl"),
    ("Vous aimerez aussi", "related_links_intl"),
    ("Entradas relacionadas", "related_links_intl"),
    ("Veja também", "related_links_intl"),
    ("Zobacz także", "related_links_intl"),
    ("Lea más: El Gobierno aprueba el presupuesto", "related_teaser"),
    ("Leia também: Governo aprova orçamento", "related_teaser"),
    ("Zum Weiterlesen: Der Haushalt der Stadt", "related_teaser"),
    ("Share this:", "share_prompt"),
    ("Teile diesen Beitrag auf Social Media.", "share_prompt"),
    ("Weiterlesen", "ui_widget"),
    ("Zurück zur Übersicht", "ui_widget"),
    ("Lire la suite »", "ui_widget"),
    ("Kostenlos zum Newsletter anmelden und Prämie sichern", "newsletter_prompt"),
    ("This entry was posted in News and tagged budget, council.", "tag_row"),
    ("Dieser Eintrag wurde veröffentlicht in Allgemein und verschlagwortet mit Haushalt.", "tag_row"),
    ("Veröffentlicht in Body & Fitness", "tag_row"),
    ("Kategorien: Reisen", "tag_row"),
    # shop and forum buttons
    ("Add to Cart", "ui_widget"),
    ("+ Wishlist", "ui_widget"),
    ("Quick view", "ui_widget"),
    ("Click to expand...", "ui_widget"),
    ("More sharing options...", "ui_widget"),
    ("Improve this answer", "ui_widget"),
    ("Reply Quote Like", "ui_widget"),
    ("5 min read", "ui_widget"),
    ("Loading...", "ui_widget"),
    ("Image 3 of 12", "ui_widget"),
    ("Back to Gallery", "ui_widget"),
    ("45 Shares", "ui_widget"),
    ("Copy Link URLCopied!", "share_prompt"),
    ("Join our newsletter", "newsletter_prompt"),
    ("Photo: Ringo H.W. Chiu, AP", "image_credit"),
    ("Photo: Gene J. Puskar", "image_credit"),
    ("Image copyright Getty Images", "image_credit"),
    # forms, consent lines, licence and donation notices, Q&A furniture (2026-12-05)
    ("First Name", "form_field"),
    ("Email Address*", "form_field"),
    ("Email (Required)", "form_field"),
    ("Phone Number", "form_field"),
    ("Message *", "form_field"),
    ("Required fields are marked *", "form_field"),
    ("Save my name, email, and website in this browser for the next time I comment.", "form_field"),
    ("Δ", "form_field"),
    ("By signing up, you agree to receive recurring automated SMS marketing messages.", "consent_notice"),
    ("By clicking Subscribe, you confirm you are 16+ and agree to our Terms of Use and Privacy Policy.", "consent_notice"),
    ("By submitting this form, you consent to be contacted by our team.", "consent_notice"),
    ("Republish this article", "license_notice"),
    ("This work is licensed under a Creative Commons Attribution 4.0 International License.", "license_notice"),
    ("Consider becoming a member to support our nonprofit journalism.", "donation_appeal"),
    ("Please make a donation today to sustain our independent reporting.", "donation_appeal"),
    ("Donate now", "donation_appeal"),
    ("Highest score (default)", "qa_widget"),
    ("Hot Network Questions", "qa_widget"),
    ("Viewed 12k times", "qa_widget"),
    ("12.3k4 gold badges45 silver badges67 bronze badges", "qa_widget"),
    ("Not the answer you're looking for? Browse other questions tagged python or ask your own question.", "qa_widget"),
    ("By clicking “Post Your Answer”, you agree to our terms of service.", "qa_widget"),
    ("Click to email a link to a friend (Opens in new window)", "share_prompt"),
    ("Click to print (Opens in new window)", "share_prompt"),
    ("Facebook-f Twitter Linkedin-in", "share_prompt"),
    ("Follow us on Instagram: @harbourtimes", "share_prompt"),
    ("Join me on TikTok: @thehousemaven", "share_prompt"),
    ("(Opens in new window)", "ui_widget"),
    ("Credit: Eric Mason/Associated Press", "image_credit"),
    # news furniture between paragraphs
    ("By Marcus Bell on March 3, 2024", "byline"),
    ("Posted by Ana Ruiz | 03/03/2024 10:15 am", "byline"),
    ("Marcus Bell, Staff Writer", "byline"),
    ("Ana Ruiz | Reporter", "byline"),
    ("Recommended Reading: The history of the harbour", "related_teaser"),
    ("Don't miss: Our guide to the festival", "related_teaser"),
    ("LISTEN: The mayor on the budget", "related_teaser"),
    ("Continue reading the main story", "advertisement_label"),
    ("Article continues after advertisement", "advertisement_label"),
    ("Listen to this article", "ui_widget"),
    ("Enter your email address to subscribe", "newsletter_prompt"),
    ("Click here to subscribe", "newsletter_prompt"),
    ("This material may not be published, broadcast, rewritten or redistributed.", "copyright_footer"),
    ("Got a news tip?", "tip_prompt"),
    ("Have a story tip? Send us your news tips.", "tip_prompt"),
    # the same families in German, French, Spanish and Italian
    ("Von Sina Giebel, Redakteurin", "byline"),
    ("Par Jean Dupont, journaliste", "byline"),
    ("Por Ana García, redactora", "byline"),
    ("Di Marco Rossi, giornalista", "byline"),
    ("Teilen auf Facebook Teilen auf Twitter Per E-Mail teilen", "share_prompt"),
    ("Compartir en Facebook Compartir en Twitter Compartir por correo", "share_prompt"),
    ("Artikel teilen", "share_prompt"),
    ("Jetzt Newsletter abonnieren und keine News mehr verpassen!", "follow_prompt"),
    ("Foto: dpa", "image_credit"),
    ("Photo : AFP", "image_credit"),
    ("Pubblicità", "advertisement_label"),
    ("Seguici su Twitter", "follow_prompt"),
    # inline furniture in forms the dev pages did not show, written for the check of 2026-12-05
    ("Trending now: Five things to know before the weekend", "related_teaser"),
    ("You might also like: How bus rapid transit changed Bogota", "related_teaser"),
    ("Potrebbe interessarti anche: Nuove linee del tram a Milano", "related_teaser"),
    ("Potrebbe interessarti anche", "related_links_intl"),
    ("ADVERTISEMENT - CONTINUE READING BELOW", "advertisement_label"),
    ("Advertisement · Scroll to continue", "advertisement_label"),
    ("Scroll to continue with content", "advertisement_label"),
    ("SKIP ADVERTISEMENT", "advertisement_label"),
    ("Weiterlesen nach der Anzeige", "advertisement_label"),
    ("La suite après cette publicité", "advertisement_label"),
    ("L'articolo continua dopo la pubblicità", "advertisement_label"),
    ("Story by Kevin O'Brien, City Hall Bureau Chief", "byline"),
    ("By Sarah Kim, health reporter", "byline"),
    ("By Ana Ruiz, correspondent in Madrid", "byline"),
    ("Von Anna Schmidt, Korrespondentin in Berlin", "byline"),
    ("Par Claire Dubois, journaliste au service Société", "byline"),
    ("Por María García, corresponsal en Madrid", "byline"),
    ("Di Marco Rossi, inviato a Roma", "byline"),
    ("Share on Facebook Share on X Share on LinkedIn Copy link", "share_prompt"),
    ("Partager sur Facebook Partager sur Twitter Envoyer par e-mail", "share_prompt"),
    ("Share this: Twitter Facebook Reddit", "share_prompt"),
    ("Share: Facebook, Twitter, LinkedIn", "share_prompt"),
    ("Artikel teilen: Facebook Twitter WhatsApp E-Mail", "share_prompt"),
    ("Tweet this", "share_prompt"),
    ("Sharing is caring!", "share_prompt"),
    ("Compartilhe no Facebook", "share_prompt"),
    ("Deel dit artikel", "share_prompt"),
    ("Join our WhatsApp channel for breaking news", "follow_prompt"),
    ("Download our app for the latest news", "follow_prompt"),
    ("Get the app", "follow_prompt"),
    ("Download the NBC News app for breaking news", "follow_prompt"),
    ("Subscribe to our YouTube channel", "follow_prompt"),
    ("(AP Photo/Jane Okafor)", "image_credit"),
    ("Commuters wait at the new stop on Main Street. (AP Photo/Jane Okafor)", "image_credit"),
    ("Photo courtesy of the city of Springfield", "image_credit"),
    ("File photo", "image_credit"),
    ("Comments (12)", "comment_widget"),
    ("Kommentare (3)", "comment_widget"),
    ("Reading time: 4 minutes", "ui_widget"),
    ("Lesezeit: ca. 3 Minuten", "ui_widget"),
    ("Abonnez-vous pour lire la suite", "paywall_notice"),
    ("Abonnieren Sie jetzt, um weiterzulesen", "paywall_notice"),
    ("Assine nossa newsletter", "newsletter_prompt"),
    # a third batch, written after the two above were met: 4 of its 37 lines survived
    ("Related Topics", "related_links"),
    ("Email to a friend", "share_prompt"),
    ("Image source: Getty Images", "image_credit"),
    ("First published on March 3, 2024", "dateline"),
    # a fourth batch, written last: 9 of its 30 lines survived
    ("Read More Below", "related_links"),
    ("Follow The Daily Courier on Instagram", "share_prompt"),
    ("Report a correction or typo", "tip_prompt"),
    ("Contact our newsroom.", "tip_prompt"),
    ("Newsletter: Recevez chaque matin l'essentiel de l'actualité", "newsletter_prompt"),
    ("Mehr Nachrichten aus der Region", "related_links_intl"),
    ("Más noticias", "related_links_intl"),
    ("Leia mais notícias", "related_links_intl"),
    ("Seguici anche su Telegram", "follow_prompt"),
    # a fifth batch of forms no dev page showed (2026-12-06)
    ("Editors' Picks", "related_links"),
    ("Editor’s Choice", "related_links"),
    ("Paid Partner Content", "advertisement_label"),
    ("Sponsored by Harbour Savings Bank", "advertisement_label"),
    ("This article is more than 2 years old", "dateline"),
    ("Posted: 12 March 2024 | Updated: 13 March 2024", "dateline"),
    ("Listen to this article · 6:12 min", "ui_widget"),
    ("Gift this article", "ui_widget"),
    ("Save article", "ui_widget"),
    ("Print this page", "share_prompt"),
    ("Text size: A A A", "ui_widget"),
    ("Font size A- A+", "ui_widget"),
    ("Enable push notifications", "follow_prompt"),
    ("Tap here to add us to your home screen", "follow_prompt"),
    ("Be the first to comment", "comment_widget"),
    ("Log in to leave a comment", "comment_widget"),
    ("Weitere Artikel zum Thema", "related_links_intl"),
    ("Ook interessant:", "related_links_intl"),
    # a sixth held-out batch's families (benchmarks/data/inline_cruft_lines.txt)
    ("Got a tip? Email us at tips@citynews.example", "tip_prompt"),
    ("Send your news tips to newstips@courier.example", "tip_prompt"),
    ("Follow @citynews on Instagram", "follow_prompt"),
    ("Want more stories like this? Follow us on Google News", "follow_prompt"),
    ("Add The Courier to your Google News", "follow_prompt"),
    ("Story by Kim Lee • 3 min read", "byline"),
    ("By Ana Ruiz | 5 minute read", "byline"),
    ("Back to top ↑", "ui_widget"),
    ("Sigue leyendo", "ui_widget"),
    ("Lees verder", "ui_widget"),
    ("Continue lendo »", "ui_widget"),
    ("Beitrag merken", "share_prompt"),
    ("Sauvegarder l'article", "share_prompt"),
    ("Guardar artículo", "share_prompt"),
    ("Link copied to clipboard", "share_prompt"),
    ("You have 3 free articles left this month", "paywall_notice"),
    ("This is your last free article this month", "paywall_notice"),
    ("Topics: Transit, City Council, Budget", "tag_row"),
    ("Watch: Mayor addresses the council (2:14)", "related_teaser"),
    ("VIDEO: Flood waters rise in the old town · 1:02", "related_teaser"),
    # a seventh held-out batch's families: recipe, help-centre, forum, shop, documentation and audio
    # furniture, affiliate, cookie, paywall and ad lines in more languages (29 of its 30 lines survived)
    ("Jump to Recipe", "ui_widget"),
    ("Print Recipe", "ui_widget"),
    ("Rate this recipe", "ui_widget"),
    ("Rezept drucken", "ui_widget"),
    ("Aller à la recette", "ui_widget"),
    ("4.86 from 7 votes", "ui_widget"),
    ("Was this article helpful? Yes No", "feedback_widget"),
    ("Was this page helpful?", "feedback_widget"),
    ("Did this answer your question? Yes / No", "feedback_widget"),
    ("War dieser Artikel hilfreich? Ja Nein", "feedback_widget"),
    ("Cet article vous a-t-il été utile ?", "feedback_widget"),
    ("¿Te ha resultado útil este artículo?", "feedback_widget"),
    ("12 people found this helpful", "feedback_widget"),
    ("3 of 4 people found this review helpful", "feedback_widget"),
    ("12 Personen fanden diese Informationen hilfreich", "feedback_widget"),
    ("Thanks for your feedback!", "feedback_widget"),
    ("Report abuse", "ui_widget"),
    ("Report this comment", "ui_widget"),
    ("Missbrauch melden", "ui_widget"),
    ("Like · Reply · 2h", "ui_widget"),
    ("Reply · Quote", "ui_widget"),
    ("reply | flag", "ui_widget"),
    ("Page 2 of 5", "ui_widget"),
    ("Seite 1 von 2", "ui_widget"),
    ("Next article »", "ui_widget"),
    ("← Previous Post", "ui_widget"),
    ("Nächster Beitrag »", "ui_widget"),
    ("Article précédent", "ui_widget"),
    ("Powered by Trinity Audio", "ui_widget"),
    ("Artikel anhören", "ui_widget"),
    ("Écouter cet article (4 min)", "ui_widget"),
    ("0:01/4:16", "ui_widget"),
    ("Open in app", "ui_widget"),
    ("In der App öffnen", "ui_widget"),
    ("Edit this page on GitHub", "ui_widget"),
    ("View page source", "ui_widget"),
    ("Improve this page", "ui_widget"),
    ("Ethics Policy", "ui_widget"),
    ("Hace 2 horas", "ui_widget"),
    ("vor 3 Stunden", "ui_widget"),
    ("il y a 3 heures", "ui_widget"),
    ("2 ore fa", "ui_widget"),
    ("2 uur geleden", "ui_widget"),
    ("As an Amazon Associate I earn from qualifying purchases.", "affiliate_disclosure"),
    ("Disclosure: Some of the links in this post are affiliate links.", "affiliate_disclosure"),
    ("Dieser Beitrag enthält Affiliate-Links.", "affiliate_disclosure"),
    ("Si vous achetez via nos liens, nous pouvons percevoir une commission.", "affiliate_disclosure"),
    ("Este artículo contiene enlaces de afiliados.", "affiliate_disclosure"),
    ("Deze website maakt gebruik van cookies.", "cookie_notice"),
    ("Cookie-Einstellungen", "cookie_notice"),
    ("Manage cookie preferences", "cookie_notice"),
    ("Accetta tutti i cookie", "cookie_notice"),
    ("Download on the App Store", "follow_prompt"),
    ("Download on the App Store Get it on Google Play", "follow_prompt"),
    ("Promoted Stories", "advertisement_label"),
    ("Promoted links by Taboola", "advertisement_label"),
    ("Recommended by Outbrain", "advertisement_label"),
    ("Advertentie", "advertisement_label"),
    ("Gesponsert", "advertisement_label"),
    ("Continua depois da publicidade", "advertisement_label"),
    ("Het artikel gaat verder onder de advertentie", "advertisement_label"),
    ("Réservé aux abonnés", "paywall_notice"),
    ("Exklusiv für Abonnenten", "paywall_notice"),
    ("Contenido exclusivo para suscriptores", "paywall_notice"),
    ("Member-only story", "paywall_notice"),
    ("RIPRODUZIONE RISERVATA", "copyright_footer"),
    ("Todos os direitos reservados.", "copyright_footer"),
    ("Atualizado em 03/03/2024 às 10h15", "dateline"),
    ("Ultimo aggiornamento: 3 marzo 2024, 10:15", "dateline"),
    ("Bijgewerkt op 3 maart 2024", "dateline"),
    ("Quote from: jdoe on March 3, 2024, 10:15:22 AM", "post_stamp"),
    ("Last edited by jdoe; 03-03-2024 at 10:15 AM.", "post_stamp"),
    ("Last edited by Minoa on Tue Aug 27, 2019 10:03 pm, edited 1 time in total.", "post_stamp"),
    ("Last edited: Jul 9, 2022", "post_stamp"),
    ("Spotted an error? See our corrections policy.", "tip_prompt"),
    ("Read our editorial standards", "tip_prompt"),
    # an eighth held-out batch's families: live-blog, photo, skip-link, reply, media-player, calendar and cart controls,
    # podcast platforms, sponsor disclosures, syndication notes, reviewer credits, review stamps, AI and machine-translation
    # notes, Scandinavian furniture (29 of its 30 lines survived)
    ("Show key events only", "ui_widget"),
    ("Pinned post", "ui_widget"),
    ("Angehefteter Beitrag", "ui_widget"),
    ("Publicación fijada", "ui_widget"),
    ("Newest first", "ui_widget"),
    ("3 new updates", "ui_widget"),
    ("Photo 3/9", "ui_widget"),
    ("Afbeelding 2 van 8", "ui_widget"),
    ("Zdjęcie 2 z 8", "ui_widget"),
    ("Enlarge this image", "ui_widget"),
    ("toggle caption", "ui_widget"),
    ("Bild vergrößern", "ui_widget"),
    ("Agrandir l'image", "ui_widget"),
    ("Zum Inhalt springen", "ui_widget"),
    ("Przejdź do treści", "ui_widget"),
    ("Aller au contenu principal", "ui_widget"),
    ("Saltar al contenido", "ui_widget"),
    ("Skip to navigation", "ui_widget"),
    ("Hoppa till innehållet", "ui_widget"),
    ("Show 5 more replies", "ui_widget"),
    ("View 12 replies", "ui_widget"),
    ("Weitere 3 Antworten anzeigen", "ui_widget"),
    ("Afficher les 4 réponses", "ui_widget"),
    ("Video Player is loading.", "ui_widget"),
    ("Your browser does not support the audio element.", "ui_widget"),
    ("Ihr Browser unterstützt dieses Video nicht.", "ui_widget"),
    ("Votre navigateur ne prend pas en charge la vidéo.", "ui_widget"),
    ("Add to calendar", "ui_widget"),
    ("Zum Kalender hinzufügen", "ui_widget"),
    ("In den Warenkorb", "ui_widget"),
    ("Aggiungi al carrello", "ui_widget"),
    ("Ajouter au panier", "ui_widget"),
    ("Oops! Something went wrong while submitting the form.", "ui_widget"),
    ("Share full article", "share_prompt"),
    ("Listen on Apple Podcasts", "follow_prompt"),
    ("Listen on Apple Podcasts | Spotify | Google Podcasts", "follow_prompt"),
    ("Escucha el podcast en Spotify", "follow_prompt"),
    ("Jetzt auf Spotify anhören", "follow_prompt"),
    ("This post was sponsored by Acme Bank, but all opinions are my own.", "affiliate_disclosure"),
    ("This video is sponsored by Acme.", "affiliate_disclosure"),
    ("Dieser Beitrag wurde gesponsert von Acme.", "affiliate_disclosure"),
    ("Cet article est sponsorisé par Acme.", "affiliate_disclosure"),
    ("This story first appeared in Grist.", "read_original"),
    ("Este artículo fue publicado originalmente en The Conversation.", "read_original"),
    ("Dieser Artikel erschien zuerst in der Zeit.", "read_original"),
    ("Medically reviewed by Dr. Ana Ruiz, MD", "byline"),
    ("Fact checked by Sarah Kim", "byline"),
    ("Medizinisch geprüft von Dr. Jan Weber", "byline"),
    ("Page last reviewed: 12 March 2024", "dateline"),
    ("Next review due: 12 March 2027", "dateline"),
    ("Reviewed on: 10/13/2025", "dateline"),
    ("Publicerad 3 mars 2024 kl. 10.15", "dateline"),
    ("Cet article date de plus de deux ans.", "dateline"),
    ("Dieser Artikel ist älter als ein Jahr.", "dateline"),
    ("Läs också: Nya busslinjer i Göteborg", "related_teaser"),
    ("Læs også: Nye buslinjer i Aarhus", "related_teaser"),
    ("Läs också", "related_links_intl"),
    ("Mest lästa", "related_links_intl"),
    ("Summary generated by AI", "ai_notice"),
    ("AI-generated summary", "ai_notice"),
    ("Este resumo foi gerado por inteligência artificial.", "ai_notice"),
    ("Dieser Artikel wurde maschinell aus dem Englischen übersetzt.", "ai_notice"),
    ("This article has been translated automatically.", "ai_notice"),
    ("Cet article a été traduit automatiquement.", "ai_notice"),
    # the ninth batch (2026-12-06, evening): the families in Portuguese, Dutch and Polish forms no dev
    # page holds (benchmarks/data/inline_cruft_lines.txt; docs/cleaning.md says why those the dev pages
    # hold wait for the next refit)
    ("Partilhar no Facebook Partilhar no Twitter", "share_prompt"),
    ("Por João Silva, correspondente em Lisboa", "byline"),
    ("Door Jan de Vries, correspondent in Brussel", "byline"),
    ("Door Anna Bakker, verslaggever", "byline"),
    ("Meer lezen: alles over de verkiezingen", "related_teaser"),
    ("Przeczytaj również: Nowe przepisy od stycznia", "related_teaser"),
    ("Zobacz również: Wszystko o wyborach", "related_teaser"),
    ("Może Cię również zainteresować", "related_links_intl"),
    ("Dit vind je misschien ook leuk", "related_links_intl"),
    ("Stories you may have missed", "related_links"),
    # the tenth batch's families (2026-12-07): app prompts with a lead-in or a tail, comment toggles and
    # calls to log in, gallery controls and counters, display settings, bookmarks, share counters,
    # WordPress's like button, listen buttons, paywall sign-ups, in the pack's languages
    ("Click here to download our free app", "follow_prompt"),
    ("Download the NBC News app for breaking news and politics", "follow_prompt"),
    ("Jetzt die App herunterladen", "follow_prompt"),
    ("Téléchargez notre application", "follow_prompt"),
    ("Scarica la nostra app", "follow_prompt"),
    ("Pobierz naszą aplikację", "follow_prompt"),
    ("Kommentare ausblenden", "comment_widget"),
    ("Afficher les commentaires (12)", "comment_widget"),
    ("Inicia sesión para comentar", "comment_widget"),
    ("Melden Sie sich an, um zu kommentieren", "comment_widget"),
    ("View image in fullscreen", "ui_widget"),
    ("Open gallery (8 images)", "ui_widget"),
    ("14 Bilder", "ui_widget"),
    ("Swipe for more", "ui_widget"),
    ("Switch to dark mode", "ui_widget"),
    ("Modo oscuro", "ui_widget"),
    ("Add to reading list", "ui_widget"),
    ("Zur Merkliste hinzufügen", "ui_widget"),
    ("This story has been shared 1,204 times.", "ui_widget"),
    ("Like this: Like Loading...", "ui_widget"),
    ("Listen (3 min)", "ui_widget"),
    ("Posłuchaj artykułu", "ui_widget"),
    ("Create a free account to keep reading", "paywall_notice"),
    ("This article is for subscribers only.", "paywall_notice"),
    # the twelfth and thirteenth batches' families (2026-12-07), in words of their own: dressed furniture
    # (transforms/clean/line_parts.py) and the forms the pack named only in part
    ("👉 See also: Ferry timetable changes for the winter", "related_teaser"),
    ("– Werbung –", "advertisement_label"),
    ("⬆ Return to top", "ui_widget"),
    ("🗨️ 12 comments", "comment_widget"),
    ("By Hannah Obi and Tomás Reyes · Bloomberg · Updated Jan 9, 2027 at 6:05 p.m. EST", "byline"),
    ("By CHLOE MARTIN | Staff Reporter | c.martin@example-courier.com", "byline"),
    ("Words by Dan Wu, Senior Science Writer", "byline"),
    ("Von Lena Hoffmann, Sportredakteurin | Stand: 09.01.2027, 18:04 Uhr", "byline"),
    ("Par Louis Garnier, grand reporter · Publié le 9 janv. 2027 à 08h15", "byline"),
    ("Por Lucía Ortega | Sevilla | Actualizado: 09/01/2027 - 10:20 h", "byline"),
    ("Door Femke Jansen en Bram de Wit · NOS · 9 januari 2027, 11:40", "byline"),
    ("Von Jan Berger und Eva Roth, dpa | 09.01.2027, 07:30 Uhr", "byline"),
    ("Autor: Tomasz Wójcik, dziennikarz działu Sport | Aktualizacja: 09.01.2027, 12:10", "byline"),
    ("Additional reporting by Maria Costa in Lisbon; Editing by Paul Grant", "byline"),
    ("Tweet 4 Share 11 Pin 2", "share_prompt"),
    ("Deel dit bericht via LinkedIn", "share_prompt"),
    ("Compartir: Facebook · X · WhatsApp · Copiar enlace", "share_prompt"),
    ("Dieser Artikel ist exklusiv für Abonnenten verfügbar.", "paywall_notice"),
    ("Inicia sesión para seguir leyendo", "paywall_notice"),
    ("Registrati o accedi per continuare a leggere", "paywall_notice"),
    ("Nächster Artikel: Stadtrat beschließt neuen Haushalt", "related_teaser"),
    ("Fotostrecke: Die schönsten Bilder vom Karneval", "related_teaser"),
    ("Kommentare (12)", "comment_widget"),
    ("Receive the top headlines every morning in your inbox", "newsletter_prompt"),
    ("Ricevi ogni mattina le notizie più importanti", "newsletter_prompt"),
    ("Partner content from Acme Bank", "advertisement_label"),
    ("Segnala un errore | Codice etico", "tip_prompt"),
    ("Subscribe to the show on Spotify, Apple Podcasts or wherever you get your podcasts", "follow_prompt"),
    ("Inicio > Deportes > Fútbol", "breadcrumb"),
    ("Zum Originalartikel", "read_original"),
    ("Aktualisiert vor 3 Stunden", "dateline"),
    # the fourteenth and fifteenth batches' families (2026-12-07), in words of their own
    ("Reporting by Ana Lima in Porto; additional reporting by Kofi Mensah in Accra; Editing by Ruth Hale", "byline"),
    ("— With additional reporting by Omar Haddad and Agence France-Presse", "byline"),
    ("Von Jonas Keller (dpa), Hamburg | 11.02.2027, 09:15 Uhr", "byline"),
    ("di Chiara Bianchi | 11 febbraio 2027 ore 09:15", "byline"),
    ("di Luca Conti — 3 marzo 2027 (modificato il 4 marzo 2027 | 10:02)", "byline"),
    ("By Nora Kim, Senior Health Correspondent | Chicago | Feb. 11, 2027", "byline"),
    ("Katarzyna Zielińska, redaktorka działu Świat · 11.02.2027, 10:24", "byline"),
    ("Door Sanne Bakker · 11 februari 2027, 08:30 · Bijgewerkt 09:45", "byline"),
    ("Agence France-Presse | Lyon | 11/02/2027 - 16:05", "byline"),
    ("You've read 4 of 5 free stories this month. Subscribe for unlimited access.", "paywall_notice"),
    ("You have reached your monthly limit of 10 free articles. Subscribe for $2 a week.", "paywall_notice"),
    ("Weiterlesen mit SZ Plus – jetzt 4 Wochen für 1 € testen", "paywall_notice"),
    ("📱 Get the free Courier app on the App Store or Google Play", "follow_prompt"),
    ("Scarica l'app del Corriere e attiva le notifiche", "follow_prompt"),
    ("Get breaking news alerts straight to your phone. Turn on notifications", "follow_prompt"),
    ("« Prev  1  2  3  Next »", "ui_widget"),
    ("Picture 2 of 9  ◀ Previous | Next ▶", "ui_widget"),
    ("← Notizia precedente | Notizia successiva →", "ui_widget"),
    ("📩 Jetzt gratis registrieren und jeden Abend die wichtigsten Nachrichten erhalten", "newsletter_prompt"),
    ("Meld je gratis aan voor de avondmail en ontvang elke dag het belangrijkste nieuws", "newsletter_prompt"),
    ('Iscriviti alla newsletter "Buongiorno" per ricevere le notizie del giorno', "newsletter_prompt"),
    ("Bild 2 von 12 · Foto: picture alliance/dpa | Anna Weber", "image_credit"),
    ("Foto Ansa", "image_credit"),
    ("(foto LaPresse)", "image_credit"),
    ("Fot. PAP/Marcin Obara", "image_credit"),
    ("Commenter (7)", "comment_widget"),
    ("Ascolta l'articolo ▶ 4 min", "ui_widget"),
    ("1/9 ◀ ▶ Guarda la gallery", "ui_widget"),
    ("Escucha este episodio en Spotify 🎧", "follow_prompt"),
    ("Wróć na górę ↑", "ui_widget"),
    ("Une erreur dans cet article ? Signalez-la à la rédaction.", "tip_prompt"),
    ("LEGGI ANCHE ▸ Bollette, cosa cambia da marzo", "related_teaser"),
    ("🔥 Most Popular Today", "related_links_intl"),
    ("📌 Pinned post · Auto-refresh off · Oldest first", "ui_widget"),
    ("Report this ad", "advertisement_label"),
    ("Contenuto sponsorizzato da Enel", "advertisement_label"),
    ("Was this article helpful? 👍 Yes 👎 No", "feedback_widget"),
    ("The key takeaways above were generated by AI and reviewed by our editors.", "ai_notice"),
    ("Dieser Artikel wurde mit Hilfe einer KI übersetzt und redaktionell geprüft.", "ai_notice"),
    ("Schriftgröße ändern: A- A+", "ui_widget"),
    ("Stai usando un AdBlock. Disattivalo per continuare a leggere.", "adblock_notice"),
    ("Apoya el periodismo independiente. Dona desde $5", "donation_appeal"),
    ("Der Autor ist Korrespondent der Zeitung in Rom und schreibt über Italien.", "author_box"),
    # the sixteenth batch's families (2026-12-07), in words of their own
    ("Reporting by Li Na in Shanghai and Tom Ash in Sydney; Editing by Kate Moss", "byline"),
    ("Chart: Ben Ortiz / The Herald · Source: Eurostat", "image_credit"),
    ("Beeld AFP / Jan de Boer", "image_credit"),
    ("🔗 Copy link   𝕏   ✉   340 shares", "share_prompt"),
    ("Sign up for The Evening Brief → in your inbox every weekday at 5pm", "newsletter_prompt"),
    ("Read this story in the app for offline reading", "follow_prompt"),
    ("Up next in 8", "ui_widget"),
    ("🎧 Get the Week in Review podcast on Apple, Spotify or wherever you listen", "follow_prompt"),
    ("Ana Ruiz covers transport for the Courier. Reach her at aruiz@example-courier.com", "author_box"),
    ("Support local journalism: give $10 a month →", "donation_appeal"),
    ("Akzeptieren & weiter – Wir und unsere 150 Partner verarbeiten Ihre Daten", "cookie_notice"),
    ("Fehler gefunden? Schreiben Sie uns.", "feedback_widget"),
    ("Par Julie Martin (avec Reuters) — Publié le 12/03/2027 à 09h10", "byline"),
    ("Tendencias 🔥", "related_links_intl"),
    ("Redacción | Valencia · 12 mar 2027 - 10:20 CET", "byline"),
    ("Infographie : Paul Leroy / Le Courrier", "image_credit"),
    ("dalla nostra inviata Giulia Russo, Kiev", "byline"),
    ("Sei già abbonato? Accedi", "feedback_widget"),
    ("Contenu offert par Maison Dubois", "advertisement_label"),
    ("ultimo aggiornamento: 09:12", "dateline"),
    ("Por Carla Mendes, g1 RJ — 12/03/2027 10h05 · Atualizado há 3 horas", "byline"),
    ("Chargement...", "ui_widget"),
    ("Door onze verslaggever Tim van Dam · 12 maart 2027, 21:10", "byline"),
    ("Het weer: 7°C ☔ Groningen", "ui_widget"),
    ("Word abonnee en lees onbeperkt. Eerste maand gratis", "paywall_notice"),
    ("Kommentieren ist nicht mehr möglich.", "comment_widget"),
    ("Tipp an die Redaktion ✉", "tip_prompt"),
    ("Seite 3 von 7 »", "ui_widget"),
    ("Stellenangebote: Pflegefachkraft (m/w/d) – Köln", "related_teaser"),
    ("Steun ons – doneer nu 💛", "donation_appeal"),
    ("Ocena artykułu: ★★★☆☆ (12 głosów)", "ui_widget"),
    # the seventeenth batch's families (2026-12-07), in words of their own
    ("By Dana Ostrowski, Senior Health Reporter | Lansing, Mich. | Updated 9:15 a.m. ET", "byline"),
    ("Door Eva van den Berg-Yılmaz · 2 mei 2026, 09:14", "byline"),
    ("Redacción Levante | Valencia | 3 mar 2026 - 11:02 CET", "byline"),
    ("f   in   ✉   🔗  860 shares", "ui_widget"),  # the first part a rule names: the counter
    ("Get the Evening Ledger — the day's ten stories in five minutes, delivered free. Sign up →", "newsletter_prompt"),
    ("If you have been affected by the issues in this article, support is available from Samaritans on 116 123.", "helpline_notice"),
    ("If you or someone you know is in crisis, call or text 988.", "helpline_notice"),
    ("Haben Sie Suizidgedanken? Die Telefonseelsorge ist rund um die Uhr unter 0800 111 0 111 erreichbar.", "helpline_notice"),
    ("A version of this article appears in print on March 3, 2026, Section A, Page 12 of the New York edition.", "read_original"),
    ("You have 4 gift articles remaining this month", "ui_widget"),
    ("Preis inkl. MwSt., zzgl. Versand", "shop_widget"),
    ("Showing 1–24 of 96 results", "shop_widget"),
    ("Gutscheincode SOMMER10: 10% Rabatt auf die erste Bestellung", "shop_widget"),
    ("Servings: − 6 + | Units: Metric / US", "ui_widget"),
    ("08:41 BST · Key event", "ui_widget"),
    ("5 new updates — Show latest", "ui_widget"),
    ("Was this page helpful?   Yes   No", "feedback_widget"),
    ("Cite this article: Brandt, L. (2024). River sediment and flood risk. Hydrology Notes, 12(4).", "cite_notice"),
    ("Inhaltsverzeichnis ausblenden", "ui_widget"),
    ("Externer Inhalt: Hier finden Sie einen Beitrag von YouTube. Mit einem Klick auf „Inhalt laden“ stimmen Sie zu.", "cookie_notice"),
    ("Autor folgen +", "follow_prompt"),
    ("Hast du einen Fehler gefunden? Schreib uns: fehler@beispielzeitung.de", "feedback_widget"),
    ("Dieser Inhalt ist in Ihrem Land nicht verfügbar.", "browser_notice"),
    ("We noticed you're using an ad blocker. To continue, please disable it or subscribe.", "adblock_notice"),
    ("Taille du texte : A- A+", "ui_widget"),
    ("Partenaire · Contenu proposé par la Banque du Nord", "advertisement_label"),
    ("Fuente: Eurostat · Gráfico: Marta Ruiz", "image_credit"),
    ("Mostrando 1–12 de 240 productos", "shop_widget"),
    ("¿Eres mayor de 18 años? Sí / No", "site_prompt"),
    ("Cargando comentarios...", "ui_widget"),
    ("Foto 2 di 9 ‹ › Chiudi", "ui_widget"),
    ("Scarica l'app del Giornale di Sicilia per iOS e Android", "follow_prompt"),
    ("Attiva le notifiche per non perdere le ultime notizie 🔔 Consenti · Più tardi", "follow_prompt"),
    ("Meteo Torino ⛅ 11° / 2° · domani 🌧", "ui_widget"),
    ("Assine a Gazeta do Sul por R$ 4,90 no primeiro mês. Cancele a qualquer momento.", "paywall_notice"),
    ("Entre no nosso canal do WhatsApp e receba as principais notícias do dia", "follow_prompt"),
    ("Ouça o podcast Conversa Aberta no Spotify ou Deezer", "follow_prompt"),
    ("Envie para a redação pelo WhatsApp (11) 98888-1234", "tip_prompt"),
    ("⚽ La Liga · Sevilla 1 - 0 Betis · 1º tiempo 32'", "ui_widget"),
    ("Hi! 👋 How can I help you today?", "site_prompt"),
    ("Je browser wordt niet ondersteund. Gebruik een recente versie van Firefox of Chrome.", "browser_notice"),
    ("Please enable JavaScript to watch this video.", "browser_notice"),
    ("Hoe tevreden bent u over onze website?", "feedback_widget"),
    ("Download als PDF (2,1 MB)", "ui_widget"),
    ("Tagi: wybory, Sejm, koalicja", "tag_row"),
    ("Webinar: Smarter Budgets for Small Councils · 4 June, 14:00 · Register now for free", "event_promo"),
    ("I'm not a robot", "form_field"),
    ("Up next in 8 · Cancel", "ui_widget"),
    # the eighteenth batch's families, in words of their own
    ('Sort by: Most helpful ▾', 'ui_widget'),
    ('Sortieren nach: Neueste zuerst', 'ui_widget'),
    ('Version: 5.2 (stable) ▾', 'ui_widget'),
    ('‹ Previous: Writing your first test | Next: Fixtures in depth ›', 'ui_widget'),
    ('Copy to clipboard', 'ui_widget'),
    ('Kopiuj kod', 'ui_widget'),
    ('86 people are reading this now', 'ui_widget'),
    ('Ajouter à mes favoris', 'ui_widget'),
    ('Today: ☀ 23°C  H 26° L 17°', 'ui_widget'),
    ('Wetter Münster · 7 °C · bewölkt', 'ui_widget'),
    ('Pogoda Gdańsk: jutro 4°C, przelotny deszcz', 'ui_widget'),
    ('FT Hearts 2 – 0 Dundee · Match report ›', 'ui_widget'),
    ('PSV 1-1 Ajax (rust 0-1)', 'ui_widget'),
    ('Temps de lecture : 6 min', 'ui_widget'),
    ('Czas czytania: 3 min.', 'ui_widget'),
    ('Segui la partita minuto per minuto', 'ui_widget'),
    ('A post shared by Northfield Library (@northfieldlib)', 'ui_widget'),
    ('Sent from my Pixel 8 Pro using Tapatalk', 'device_signature'),
    ('Inviato dal mio Redmi Note 12 utilizzando Tapatalk', 'device_signature'),
    ('Von meinem iPad gesendet', 'device_signature'),
    ('Leer 214 comentarios', 'ui_widget'),
    ('Sii il primo a commentare', 'comment_widget'),
    ('Zgłoś nadużycie', 'ui_widget'),
    ('Deze pagina is gesloten voor reacties.', 'comment_widget'),
    ('Scrivi una recensione', 'feedback_widget'),
    ('★★★★☆ 4.2 from 87 votes', 'feedback_widget'),
    ('Continua a leggere dopo la pubblicità', 'advertisement_label'),
    ('Artykuł sponsorowany', 'advertisement_label'),
    ('Paid partnership', 'advertisement_label'),
    ('Zuletzt aktualisiert: 02.05.2025, 09:12 Uhr', 'dateline'),
    ('Dernière mise à jour : 3 mars 2024', 'dateline'),
    ("Have a confidential tip? We'd love to hear from you.", 'tip_prompt'),
    ('Jetzt weiterlesen mit NWZ+ — 3 Monate für 1 € lesen', 'paywall_notice'),
    ('Questo sito non è compatibile con il tuo browser. Aggiorna Chrome o Firefox.', 'browser_notice'),
    ('Volg Het Dagblad op Google Nieuws', 'follow_prompt'),
    ('Este contenido es solo para mayores de 18 años. Confirme su edad.', 'site_prompt'),
    ('Envío gratis en pedidos desde 49 €', 'shop_widget'),
    ('Calcula el plazo de entrega con tu código postal', 'shop_widget'),
    ('Ten artykuł ukazał się również w papierowym wydaniu tygodnika', 'read_original'),
    ('Tout refuser', 'cookie_notice'),
    ('Mit * gekennzeichnete Links sind Affiliate-Links.', 'affiliate_disclosure'),
    ('Más noticias de la sección Deportes »', 'related_links'),
    ('Share this story:  📘 Facebook  ✉ Email  X', 'share_prompt'),
    ('Link kopieren', 'share_prompt'),
    ('Par Jeanne Roux, publié le 4 avril 2024 à 08h10, mis à jour à 10h05', 'byline'),
    # the nineteenth batch's families, in words of their own
    ('Accessibility: A− A A+ | Contrast | Reset', 'ui_widget'),
    ('Barrierefreiheit: A- A A+ · Kontrast · Zurücksetzen', 'ui_widget'),
    ('0:00 / 18:05 · 1.25× · Transcript', 'ui_widget'),
    ('Forecast issued 05:10 GMT · Data: Met Office · Next update in 3 hrs', 'ui_widget'),
    ('River Severn at Bewdley: 2.31 m · Falling ↘ · Last reading 08:45, 3 Feb', 'ui_widget'),
    ('v2.8.0 — released 2026-03-02 · 31 commits to main since this release', 'ui_widget'),
    ('Bundesliga · 9. Spieltag · Sa 15:30 · Mainz – Bochum · Tickets', 'ui_widget'),
    ('FT · Leeds 0–0 Hull · Elland Road · Report', 'ui_widget'),
    ('Serie B · 12ª giornata · Bari–Palermo 1–1 · Finale', 'ui_widget'),
    ('Zutaten für 4 Portionen · 30 Min. · Schwierigkeit: einfach', 'ui_widget'),
    ('Artikel vorlesen lassen · 6:02 Min.', 'ui_widget'),
    ('Ouvir notícia', 'ui_widget'),
    ('Service alert: Red Line trains delayed between Park Street and Alewife until 9 p.m.', 'transit_notice'),
    ('Störung: Zwischen Köln und Bonn fallen Züge der Linie RE 5 aus', 'transit_notice'),
    ('Info trafic : ligne 13 interrompue entre Saint-Lazare et Invalides', 'transit_notice'),
    ('Linea 2: ritardi fino a 15 minuti per un guasto a Loreto', 'transit_notice'),
    ('Utrudnienia: autobusy linii 180 jadą objazdem', 'transit_notice'),
    ('RE 7 nach Kiel: heute von Gleis 3 statt Gleis 5 · ca. +10 Min.', 'transit_notice'),
    ('Apply now · Full-time · Remote (EU) · €55,000–€65,000', 'listing_widget'),
    ('Jetzt bewerben · Vollzeit · München · unbefristet', 'listing_widget'),
    ('Listed by Dana Cole, Redfin · DRE #02011223 · (415) 555-0101', 'listing_widget'),
    ('Vraagprijs € 80 · Ophalen in Gouda · 2 dagen geleden · 57× bekeken', 'listing_widget'),
    ('Öffnungszeiten: Mi–Mo 11–19 Uhr · Di Ruhetag', 'venue_info'),
    ('Opening hours: Tue–Sun 10:00–17:00 · Closed Mondays · Free entry', 'venue_info'),
    ('Open today 9:30–16:00 · Café closes at 15:30', 'venue_info'),
    ('Reservar mesa · Menú del día 18 € · ★ 4,5 (640)', 'venue_info'),
    ('Case 1:24-cv-00123-ABC Document 12 Filed 03/04/24 Page 2 of 9', 'filing_header'),
    ('Top Rated Seller · 99.8% positive feedback · Ships from Bristol', 'shop_widget'),
    ('Verkäufer: alte-truhe · 99,1 % positive Bewertungen · Versand aus Kassel', 'shop_widget'),
    ('Vendedor verificado · 2.310 ventas · Responde en 1 hora', 'shop_widget'),
    ('Order within 5 hrs 3 mins for delivery Friday', 'shop_widget'),
    ('Doors 6:30 PM · Show 7:30 PM · 18+ · $20', 'event_promo'),
    ('Einlass 19 Uhr · Beginn 20 Uhr · Tickets an der Abendkasse', 'event_promo'),
    ('Iscriviti · Posti limitati · Sabato 8 marzo, 17:00 · Biblioteca civica', 'event_promo'),
    ('Member since: Jun 2016 · Posts: 3,402 · Location: Leeds', 'post_stamp'),
    ('Mitglied seit 04/2019 · 812 Beiträge · Wohnort: Kiel', 'post_stamp'),
    ('Asked 2 years, 5 months ago · Modified 3 days ago · Viewed 12k times', 'qa_widget'),
    ('Seite zuletzt geändert am 03.02.2025 · Zuständig: Amt für Umwelt', 'dateline'),
    ('Última revisión de la página: 4 de mayo de 2025 · Ayuntamiento de Huesca', 'dateline'),
    ('Deze pagina is voor het laatst gecontroleerd op 2-5-2025', 'dateline'),
    ('Atualizado às 10h41 de 6 de dezembro de 2026', 'dateline'),
    ('Foto: picture alliance/dpa | Anna von Berg', 'image_credit'),
    ('Riproduzione riservata © Copyright LaPresse', 'copyright_footer'),
    ('Read in app: get the Tribune app for iPhone and Android', 'follow_prompt'),
    ('Vous avez aimé cet article ? Retrouvez-nous sur Instagram.', 'follow_prompt'),
    ('This content was produced by the branded content team for Acme Bank.', 'affiliate_disclosure'),
    ('¿Te ha resultado útil esta información? Sí (12) · No (3)', 'feedback_widget'),
    # the twentieth batch's families, in words of their own
    ('Tracking number 1Z 999 AA1 01 2345 6784 · In transit', 'parcel_tracker'),
    ('Paketstatus: Ihre Sendung ist unterwegs zum Paketshop', 'parcel_tracker'),
    ('Suivi de commande : colis livré en point relais · 14:02', 'parcel_tracker'),
    ('Estado del pedido: en camino · llega el jueves', 'parcel_tracker'),
    ('Stato spedizione: consegnato al portiere alle 11:20', 'parcel_tracker'),
    ('Status van je pakket: wordt morgen bezorgd tussen 14:00 en 16:00', 'parcel_tracker'),
    ('Status przesyłki: w drodze do paczkomatu KRA01N', 'parcel_tracker'),
    ('Expected delivery: Monday, 18 March, before 12:00', 'parcel_tracker'),
    ('Voraussichtliche Zustellung: Mi, 19.03., 10:00–14:00 Uhr', 'parcel_tracker'),
    ('Delivered to the parcel locker — code sent by text', 'parcel_tracker'),
    ('Zugestellt: Briefkasten · 09:14', 'parcel_tracker'),
    ('4.8 ★ · 310K reviews · 10M+ downloads · Rated for 3+', 'download_widget'),
    ('Neuigkeiten · Version 12.4 · Fehlerbehebungen und Leistungsverbesserungen', 'download_widget'),
    ('Télécharger pour Windows (64 bits) · 88 Mo', 'download_widget'),
    ('Release notes · Checksums · All releases', 'download_widget'),
    ('Shelfmark: MS Add. 4471 · Reading room only', 'catalogue_record'),
    ('Signatura: 82-34/117 · Prestado hasta el 3 de abril', 'catalogue_record'),
    ('Segnatura: Rari 112 · Escluso dal prestito', 'catalogue_record'),
    ('Your hold is ready for pickup at the Eastside Branch.', 'catalogue_record'),
    ('Ihre Fernleihe liegt zur Abholung bereit.', 'catalogue_record'),
    ('Prices delayed by 20 minutes. Market data provided by Refinitiv.', 'market_data'),
    ('Kurse zeitverzögert um 15 Minuten', 'market_data'),
    ('Cours différés de 15 min · Euronext Paris', 'market_data'),
    ('Quotazioni ritardate di 15 minuti · Borsa Italiana', 'market_data'),
    ('Book an appointment · Next available: Thu 6 Mar, 10:20', 'appointment_widget'),
    ('Online-Termin buchen · Keine freien Termine in den nächsten 14 Tagen', 'appointment_widget'),
    ('Pedir cita previa — Acceso con DNIe o Cl@ve', 'appointment_widget'),
    ('Votre prochain rendez-vous : lundi 3 mars à 14 h 30 · Annuler', 'appointment_widget'),
    ('Cited by 58 · 2,140 downloads · Export citation', 'research_record'),
    ('EP 3 412 907 B1 · Filing date 2017-05-22 · Status: Granted', 'research_record'),
    ('Overruled by 2 subsequent decisions', 'research_record'),
    ('Geboren: 12. März 1890, Lübeck · Gestorben: 1961 · 7 Quellen verknüpft', 'research_record'),
    ('Platform 9 · Departs 18:05 · Delayed 12 min', 'transit_notice'),
    ('Abfahrt 07:42 · Gleis 3 · fällt aus', 'transit_notice'),
    ("Quai 2 · Départ 09h15 · À l'heure", 'transit_notice'),
    ('Quick apply · Posted yesterday · 57 applicants', 'listing_widget'),
    ('€48,000 – €56,000 per year · Permanent · London', 'listing_widget'),
    ('Warmmiete 1.240 € · 4 Zimmer · 96 m² · Balkon', 'listing_widget'),
    ('Classe énergie B · Loyer 950 € charges comprises', 'listing_widget'),
    ('Highest bid: 1.150 € · 23 Gebote · endet in 4 Std.', 'listing_widget'),
    ('Anreise: Fr, 14.03. – Abreise: So, 16.03. · 2 Erwachsene · 1 Zimmer', 'venue_info'),
    ('Free cancellation · Breakfast included', 'venue_info'),
    ("Annulation gratuite jusqu'au 12 mai · Sans prépaiement", 'venue_info'),
    ('Prep time: 10 min · Cook time: 25 min · Serves 2', 'ui_widget'),
    ('Zubereitungszeit: 35 Min. · 4 Portionen', 'ui_widget'),
    ('[Bearbeiten | Quelltext bearbeiten]', 'ui_widget'),
    ('Preview · Lineups · Commentary · Match report', 'ui_widget'),
    ('Pos · Team · P · W · D · L · GD · Pts', 'ui_widget'),
    ('Staffel 3 · 10 Folgen · FSK 12', 'ui_widget'),
    ('Sunrise 06:12 · Sunset 19:48 · Humidity 64%', 'ui_widget'),
    ('⚠ Orange warning · Thunderstorms from 15:00 · Updated 12:40', 'ui_widget'),
    ('+ Vater hinzufügen · + Mutter hinzufügen · Stammbaum ansehen', 'ui_widget'),
    ('Diese Seite wurde zuletzt am 4. Januar 2025 um 08:15 Uhr bearbeitet.', 'dateline'),
    ('Esta página se editó por última vez el 5 feb 2025 a las 09:30.', 'dateline'),
    ('Tę stronę ostatnio edytowano 11 mar 2025, 08:05.', 'dateline'),
    # the twenty-first batch's families, in words of their own
    ('Exemplare: 4 · 2 ausleihbar · Zentralbibliothek · Vormerken', 'catalogue_record'),
    ('Holdings: 2 copies · 0 available · Place a hold', 'catalogue_record'),
    ('Exemplaires : 3 · 1 disponible · Cote : 843 DUR · Réserver', 'catalogue_record'),
    ('Received: 3 March 2023; Revised: 9 May 2023; Accepted: 1 June 2023', 'research_record'),
    ('Eingegangen: 12. Januar 2024 · Angenommen: 30. April 2024 · Online veröffentlicht: 8. Mai 2024', 'research_record'),
    ('Recibido: 4 de febrero de 2022; aceptado: 19 de mayo de 2022', 'research_record'),
    ('WO 2021/188734 A1 – Publication date 2021-09-23 · Status: Pending', 'research_record'),
    ('Zu Firefox hinzufügen · 48.210 Nutzer · Version 2.6.1', 'download_widget'),
    ('Ajouter à Chrome · 300 000 utilisateurs · Mis à jour le 2 mars 2025', 'download_widget'),
    ('pip install httpx · Latest version 0.27.0 · Released Feb 21, 2024', 'download_widget'),
    ('cargo add serde · Downloads 412M · License MIT OR Apache-2.0', 'download_widget'),
    ('Watch 31 · Fork 402 · Star 3.1k', 'download_widget'),
    ('Antragsstatus: In Bearbeitung – Eingang bestätigt am 4. März', 'portal_notice'),
    ("Statut de votre demande : en cours d'instruction (dossier n° 2025-44817)", 'portal_notice'),
    ('Status van je aanvraag: in behandeling — referentie Z-2025-0193', 'portal_notice'),
    ('Processo n. 1002345-77.2023.8.26.0100 · Último andamento: 03/12/2025 – Juntada de petição', 'portal_notice'),
    ('Case No. 2:24-cv-01187 · Last docket entry: 11/18/2025 – Order granting motion', 'portal_notice'),
    ('Die Zeugnisse sind jetzt im Elternportal verfügbar. Bitte melden Sie sich mit Ihren Zugangsdaten an.', 'portal_notice'),
    ('Your invoices are now available in your online account. Please sign in to view them.', 'portal_notice'),
    ('Your order is ready for collection at the Kings Road store.', 'portal_notice'),
    ('Ihre Brille liegt zur Abholung bereit.', 'portal_notice'),
    ('Je recept ligt klaar bij de apotheek aan de Markt.', 'portal_notice'),
    ('Relevé de compteur transmis · Prochaine facture le 12 mars · N° client 0048 2231', 'portal_notice'),
    ('Your balance: £42.10 · Next bill 3 April · Account number 7781 2290', 'portal_notice'),
    ('Ihre Payback-Punkte: 2.340 · Noch 160 Punkte bis zum 5-€-Gutschein', 'portal_notice'),
    ('Your rewards points: 1,250 pts · Redeem for £5 off', 'portal_notice'),
    ('Rechnung Nr. 2025-118 · Fällig am 15.01.2026 · Betrag 89,00 € · Jetzt bezahlen', 'portal_notice'),
    ('Invoice INV-3391 · Due 30 Jan 2026 · £120.00 · Pay now', 'portal_notice'),
    ('Note: 1,7 · Modul Statistik II · 6 ECTS', 'portal_notice'),
    ('Grade: 72 · Module: Research Methods · 15 credits', 'portal_notice'),
    ('Abfuhr: Di Restmüll · Fr Gelber Sack · Bioabfall alle 14 Tage', 'city_widget'),
    ('Bin collection: Tuesday general waste · Friday recycling and glass', 'city_widget'),
    ('Umweltzone Stuttgart: aktiv · Grüne Plakette erforderlich', 'city_widget'),
    ('Zona blu 3 · 1,50 €/h · Avvia la sosta', 'city_widget'),
    ('Parkzone B · 3,00 € pro Stunde · Mo–Sa 8–20 Uhr', 'city_widget'),
    ('Report a problem in your street: potholes, broken lights, fly-tipping', 'city_widget'),
    ('Signaler un problème sur la voie publique : nid-de-poule, éclairage, dépôt sauvage', 'city_widget'),
    ('Identified — The issue affecting logins has been found and a fix is being deployed. Posted 40 minutes ago.', 'live_status'),
    ('Resolved — Payments are processing normally again. Posted Mar 3, 2025 - 14:20 UTC', 'live_status'),
    ('Wartezeit Hotline: ca. 10 Min. · Jetzt chatten', 'live_status'),
    ("Temps d'attente au service client : environ 15 minutes · Rappel gratuit", 'live_status'),
    ('Notaufnahme Klinikum Mitte · Wartezeit ca. 2 Std. · Stand 10:40 Uhr', 'live_status'),
    ("A&E at St Mary's · Waiting time about 4 hours · Updated 09:15", 'live_status'),
    ('Auslastung: wenig los · Voll ab 17 Uhr', 'live_status'),
    ('Busyness: 🟠 Fairly busy right now · Usually quiet from 19:00', 'live_status'),
    ('Borne disponible · 2 points de charge sur 2 · 50 kW DC', 'live_status'),
    ('Charging point: available · 150 kW · £0.79/kWh', 'live_status'),
    ('Lawinenwarnstufe 3 (erheblich) oberhalb 2000 m · Ausgegeben 17:00 Uhr', 'live_status'),
    ('Avalanche forecast: Considerable (3) above 2,000 m · Issued 16:30', 'live_status'),
    ('Exit poll: Lab 34% · Con 27% · LD 13% · Reform 15%', 'results_ticker'),
    ('Projection 20h00 : RN 33,5 · NFP 28,1 · Ensemble 21,0 — Source : Ipsos', 'results_ticker'),
    ('Lottozahlen vom Mittwoch: 4 – 9 – 17 – 23 – 31 – 40 · Superzahl 2', 'results_ticker'),
    ('EuroMillions: 5 · 12 · 23 · 34 · 45  Lucky Stars 3', 'results_ticker'),
    ('€3.210 opgehaald van € 5.000 · 88 donateurs · nog 12 dagen', 'fundraiser_widget'),
    ('12.480 € gesammelt von 20.000 € · 214 Unterstützer · noch 6 Tage', 'fundraiser_widget'),
    ('Dona il 5x1000 · Codice fiscale 97123450589', 'fundraiser_widget'),
    ('This section needs additional citations for verification. Relevant discussion may be found on the talk page.', 'wiki_notice'),
    ('Dieser Artikel oder nachfolgende Abschnitt ist nicht hinreichend mit Belegen ausgestattet.', 'wiki_notice'),
    ('Cet article ne cite pas suffisamment ses sources (janvier 2024).', 'wiki_notice'),
    ('Este artículo o sección necesita referencias que aparezcan en una publicación acreditada.', 'wiki_notice'),
    ("Questa voce o sezione sull'argomento storia non cita le fonti necessarie.", 'wiki_notice'),
    ('Dit artikel of een deel ervan bevat geen of onvoldoende bronvermelding.', 'wiki_notice'),
    ('Ten artykuł od 2019-05 wymaga uzupełnienia źródeł podanych informacji.', 'wiki_notice'),
    ('Should the park stay open late? Yes 58% (904 votes) · No 42% (655 votes)', 'poll_widget'),
    ('Dein Ergebnis: 8 von 10 richtig · Nochmal spielen · Teilen', 'poll_widget'),
    ('Your score: 9/12 · Play again · Share your result', 'poll_widget'),
    ('Twój wynik: 64% zgodności · Zobacz wszystkie partie', 'poll_widget'),
    ('You are receiving this because you were mentioned. Reply to this email directly, view it on GitHub, or unsubscribe.', 'list_footer'),
    ('Sie haben diese Nachricht erhalten, weil Sie der Google Groups-Gruppe "kommunal-it" beigetreten sind.', 'list_footer'),
    ('Vous recevez ce message car vous êtes abonné au groupe « infra-fr » de Google Groupes.', 'list_footer'),
    ('Nährwerte pro Portion: 520 kcal · Fett 22 g · Kohlenhydrate 48 g · Eiweiß 31 g', 'nutrition_facts'),
    ('Valeurs nutritionnelles : 380 kcal · Lipides 12 g · Glucides 40 g · Protéines 18 g', 'nutrition_facts'),
    ('Nutrition per serving: 290 cal · Protein 21 g · Fibre 6 g', 'nutrition_facts'),
    ('Zu Risiken und Nebenwirkungen lesen Sie die Packungsbeilage und fragen Sie Ihren Arzt oder Apotheker.', 'ad_disclaimer'),
    ('Ceci est un médicament. Lire attentivement la notice. Si les symptômes persistent, consultez votre médecin.', 'ad_disclaimer'),
    ('Leggere attentamente il foglio illustrativo. Autorizzazione ministeriale del 04/03/2025.', 'ad_disclaimer'),
    ('Dit is een geneesmiddel. Lees voor gebruik de bijsluiter.', 'ad_disclaimer'),
    ('To jest lek. Dla bezpieczeństwa stosuj go zgodnie z treścią ulotki dołączonej do opakowania.', 'ad_disclaimer'),
    ('Promoted by Jane Holt on behalf of the Riverside Independents, both at 4 Mill Lane, Exeter', 'ad_disclaimer'),
    ('Paid for by Friends of Ana Ruiz for Council', 'ad_disclaimer'),
    ('Committente responsabile: Giulia Neri', 'ad_disclaimer'),
    ('Nächste Abfahrten: Bus 142 → Zoo in 4 Min.', 'transit_notice'),
    ('Next departures: Northbound 3 min | 11 min', 'transit_notice'),
    ('Próximos autobuses › Línea 27 a Plaza Castilla: 5 min · 14 min', 'transit_notice'),
    ('25 Min. (18 km) über A 40 · Schnellste Route', 'transit_notice'),
    ('Verkehr: 6 km Stau auf der A 3 zwischen Köln-Ost und Leverkusen · Stand 07:40 Uhr', 'transit_notice'),
    ("EN DIRECTO 80' Betis 1-0 Sevilla", 'ui_widget'),
    ("Live 45+2' Celtic 1–1 Rangers ⚽ Kyogo 12' | Dessers 40'", 'ui_widget'),
    ('0:00 Intro · 3:12 The setup · 11:40 Results', 'ui_widget'),
    ('Kapitel: 00:00 Einleitung · 04:10 Test · 12:30 Fazit', 'ui_widget'),
    ('Untertitel · 720p · Vollbild', 'ui_widget'),
    ('Wasserstand Dresden: 1,92 m · fallend · Stand 08:00 Uhr', 'ui_widget'),
    ('Horoskop · Stier: Liebe ★★★★☆ · Beruf ★★☆☆☆ · Gesundheit ★★★☆☆', 'ui_widget'),
    ('FSK 16 · Gewalt · Sprache', 'ui_widget'),
    ('PEGI 18 · Violence · Bad Language', 'ui_widget'),
    ('Kondolenzen (8) · Kerze anzünden · Blumen senden', 'ui_widget'),
    ('Kontrast | A- | A+ | Leichte Sprache', 'ui_widget'),
    ('Namenstag heute: Nikolaus, Niklas', 'ui_widget'),
    ('Nächster verkaufsoffener Sonntag: 14.12.', 'ui_widget'),
    ('Aufrufe: 3 412 · Druckversion · Fehler melden', 'ui_widget'),
    ('Lectura 5 min', 'ui_widget'),
    ('⚠ Amber warning for rain · From 06:00 Sat · Until 18:00 Sun', 'ui_widget'),
    ('Endet in 3 Std. 12 Min. · 14 Gebote · Aktuelles Gebot 82,00 €', 'listing_widget'),
    ('Time left: 1d 4h · 9 bids · Current bid £41.00', 'listing_widget'),
    ('Eingestellt vor 2 Tagen · Anzeigen-Nr. 2981134 · Privatanbieter · Anzeige melden', 'listing_widget'),
    ("Inscriptions ouvertes jusqu'au 15 septembre · Places restantes : 8 · Cours du soir", 'listing_widget'),
    ('Enrolment open until 1 March · Places available: 6 · Online', 'listing_widget'),
    ('Sa 14.06. → Di 17.06. · 3 Nächte · 2 Erwachsene', 'venue_info'),
    ('Mass times: Saturday 6pm · Sunday 9am and 11am', 'venue_info'),
    ('Gottesdienste: Sa 18 Uhr · So 9.30 Uhr und 11 Uhr', 'venue_info'),
    ('Öffnungszeiten des Bürgeramts: Mo.–Fr. 8–12 Uhr · Do bis 18 Uhr', 'venue_info'),
    ('Reservierung: 4 Personen · Sa, 20:00 · Bestätigen', 'venue_info'),
    ('Freephone 0800 555 0100 · Mon–Fri 8am–6pm · Free from mobiles', 'venue_info'),
    ('Kostenlose Hotline 0800 123 4567 · Mo–Fr 8–20 Uhr', 'venue_info'),
    ('In Zustellung · Voraussichtlich zwischen 10 und 12 Uhr · Sendung verfolgen', 'parcel_tracker'),
    ('En cours de livraison · Livraison estimée 14h–16h · Suivre mon colis', 'parcel_tracker'),
    ('Termin bestätigt: Bürgerbüro Mitte · 14.03.2026, 10:20 Uhr · Termin absagen', 'appointment_widget'),
    ('Appointment confirmed: Dental check-up · Thu 5 Mar, 14:30 · Cancel appointment', 'appointment_widget'),
    ('SP95-E10 1,799 · Gazole 1,689 · E85 0,899', 'market_data'),
    ('Benzinpreise Köln: Super E5 1,779 · Diesel 1,659', 'market_data'),
    ('Strompreis heute: 24,1 ct/kWh · Günstigste Stunde 13–14 Uhr', 'market_data'),
    ('Farbe: Dunkelblau · Größe: 36 / 38 / 40 / 42 · Größentabelle', 'shop_widget'),
    ('Size: 6 / 8 / 10 / 12 / 14', 'shop_widget'),
    ('Rated 4.7 out of 5 based on 2,310 reviews · Excellent', 'shop_widget'),
    ('Kostenloser Versand ab 50 € · Nur noch 12,40 € bis zum Gratisversand', 'shop_widget'),
    ('2,49 €/kg · statt 2,99 € · Angebot bis Samstag', 'shop_widget'),
    ('128 Ergebnisse · Sortieren nach: Preis aufsteigend', 'shop_widget'),
    ('Pay in 3 interest-free payments of £13.33 with Klarna', 'shop_widget'),
    ('3 fois sans frais de 33,30 €', 'shop_widget'),
    ('Gutschein eingelöst: SOMMER10 · −5,00 € · Entfernen', 'shop_widget'),
    ('Niedrigster Preis der letzten 30 Tage: 89,99 €', 'shop_widget'),
    ('Mitgliederpreis: 10 % Rabatt · Einloggen und sparen', 'shop_widget'),
    ('49,99 € · In den Warenkorb', 'shop_widget'),
    ('VERTRAULICH | Konzept Haushalt 2026 | Seite 2 von 9', 'filing_header'),
    ('Page 3 of 40 — Board papers — CONFIDENTIAL', 'filing_header'),
    ('How would you rate this service? ★★★★★', 'feedback_widget'),
    ('Wie zufrieden waren Sie mit dieser Seite? · Bewerten', 'feedback_widget'),
    ('Verfügbar bis 31.12.2026 · Nur in Deutschland', 'browser_notice'),
    ("Disponible jusqu'au 4 mai · Uniquement en France", 'browser_notice'),
    ('Informację wytworzył: Marek Zieliński · Wprowadził: Ewa Lis · Data wprowadzenia: 02.02.2026', 'byline'),
    ('Jetzt 4 Wochen gratis lesen – danach 7,99 € im Monat, monatlich kündbar', 'paywall_notice'),
    ('Essai gratuit de 14 jours, puis 9,99 € par mois, sans engagement', 'paywall_notice'),
    ('Tribüne Nord · Block C · Reihe 12 · Platz 7', 'event_promo'),
    ('Section 112 · Row F · Seats 3-4 · Aisle', 'event_promo'),
    ('Fri 6 June · 8pm · The Leadmill · Doors 7pm · Advance £15', 'event_promo'),
    ('Vorstellung 19:45 Uhr · OmU · Saal 2 · 9,50 €', 'event_promo'),
]

# Content lines that look like cruft and must stay whole.
KEEP = [
    # the ninth batch's look-alikes: the same words in a sentence, with no label's colon or a role after a name
    "Door de regen werd de wedstrijd in Brussel uitgesteld.",
    "Door Jan de Vries, de burgemeester, werd het plan gesteund.",
    "Por João Silva, correspondente em Lisboa desde 2010, o caso é grave.",
    "Meer lezen over de verkiezingen kan op de website van de gemeente.",
    "Zapisz się do biblioteki, aby wypożyczyć książki.",
    "Może cię zainteresować, że ratusz planuje nowe trasy autobusowe.",
    "Przeczytaj również raport, który rada opublikowała w piątek.",
    "Udostępnił na Facebooku zdjęcie z wakacji, co wywołało burzę.",
    "Artikel auf Facebook teilen ist laut Studie die häufigste Reaktion.",
    "Jetzt auf Facebook teilen, forderte der Minister seine Anhänger auf.",
    "Stories you may have missed are collected in the weekly digest, the editor said.",
    # French quotation marks are not a breadcrumb trail's separators
    "Le maire a parlé d'« un projet d'avenir » et promis « des travaux rapides » pour le quartier.",
    "Selon lui, « la ville » doit « agir vite »",
    "Tags on the sharks showed they swam 2,000 miles in a month.",
    "Category 5 storms are the strongest: winds top 157 mph.",  # no colon right after the label
    "Filed under seal, the motion asks the court to delay the trial.",
    "Cookie makers say butter prices rose 20% this year.",
    "Você pode gostar de ler o relatório completo no site da prefeitura.",
    "Articoli correlati al progetto sono stati pubblicati dalla regione.",
    "Leggi anche",  # Italian blogs put "read also" links inside the article: not a tail header
    "He left 3h ago.",
    "The fund raised 32M ago and spent it all.",
    "The minister said she would share her thoughts with parliament next week.",
    "Readers were invited to share their views at a town hall meeting on Friday.",
    "The comments section of the bill was rewritten after the hearing.",
    "Critics left comments on the proposal during a 60-day review period.",
    "Comments by the central bank sent the currency lower on Tuesday.",
    "Ad blockers now run on more than 40% of desktop browsers, a survey found.",
    "Publishers have long complained about ad blockers cutting their revenue.",
    "You may also like the new park, the mayor told residents with a smile.",
    "Related research has found similar effects in mice.",
    "Most read books of the year were thrillers.",
    "More in sorrow than in anger, the board wrote to its members.",
    "Read more about the history of the treaty in our archive of the 1990s talks, which covers every round.",
    "The original report from the commission ran to 400 pages.",
    "By the end of May, prices had risen by 4%.",
    "By then, the storm had moved north.",
    "By comparison, exports grew by 2.1% in the same period.",
    "Share prices fell 3% in early trading.",
    "Shares of the company rose after the announcement.",
    "Print editions will end in March, the publisher said.",
    "Email remains the most common way for scammers to reach victims.",
    "Follow the money, the investigators said, and you will find the culprits.",
    "The newsletter, founded in 1998, now has 20,000 subscribers.",
    "Follow relevant news sources, subscribe to industry newsletters, and monitor social media channels to stay up to date.",
    "More than 2 million people subscribed to the service last year.",
    "Cookies and cakes were sold at the charity fair.",
    "Home prices rose 5% in the year to June.",
    "Home is where the heart is, she said.",
    "Pros:",
    "Cons:",
    "Conclusion",
    "Context & Background",
    "Risks and Uncertainties",
    "- Political Motivation: Both leaders have clear incentives to meet.",
    "• Foster Understanding and Dialogue: Encourage dialogue and understanding.",
    "Home/work balance matters more than pay, the survey found.",
    "News/opinion pages drew the most readers in 2023.",
    "Advertisement spending fell 8% as brands cut budgets.",
    "Advertising executives met in Cannes to discuss the market.",
    "Photo: the agency released the image on Tuesday.",
    "Photos of the crash spread quickly on social media, police said.",
    "Copyright law was rewritten in 1998 to extend protection.",
    "All rights reserved, the label said, were held by the estate.",
    "Updated figures show the economy grew 2.1% in the quarter.",
    "Published in 1851, the novel sold poorly at first.",
    "Subscribers to the service rose to 20 million last year.",
    "Teilen Sie Ihre Meinung, sagte der Bürgermeister den Anwohnern.",
    "Читайте также статьи об экономике в нашем архиве материалов за 2019 год и позже.",
    "Mehr zum Thema Klima erfahren Sie in der Sendung am Abend, sagte die Moderatorin.",
    "Reuters reported the deal on Monday, citing two people familiar with it.",
    "Reply to the ministry's letter was due within 30 days.",
    "34 responses to the survey were rejected as incomplete.",
    "Three thoughts on the budget stand out.",
    "Top comments from the hearing were read into the record.",
    "Your email address will be shared with the organisers, the council said.",
    "My sister is a freelance writer who lives in Leeds.",
    "Estate agents earn a commission of 1% to 3% on each sale, the report found.",
    "The retailer's affiliate programme paid out $2 billion last year.",
    "The agency sold the rights to the picture (and others) to Getty Images.",
    "Traders said the index had fallen on fears of a slowdown, according to Reuters.",
    "Flatliner is a handy code editor that helps to test the expressions.",
    "About the author's claims, the court said nothing.",
    "Join the conversation about the future of the high street at the town hall on Friday.",
    "2 days ago at 07:52 am the alarm went off, the fire service said.",
    "View comments from the regulator were published on Monday.",
    "As Joel writes:",
    "The minister says:",
    "She says:",
    "Smith said:",
    "The polls closed on November 19, 2019 at 8:00 pm.",
    "Re: your letter of 4 May, the council replied within a week.",
    "The score: 3-1 to the visitors.",
    "Learn more languages, the teacher urged her pupils.",
    "Six months ago the plant employed 400 people.",
    "Close to 2,000 people attended the rally.",
    "Pinterest shares rose 10% after the results.",
    "Search and rescue teams reached the village at noon.",
    "Subscribe-only content grew fastest among local papers, the study found.",
    # look-alikes of the inline families: headings, quoted speech, sentences that open alike
    "By The Numbers",
    "By Tuesday, Officials Had Left The Building",
    "By Marcus Bell's account, the team lost the first game.",
    "By 2030, Emissions Must Fall By Half",
    "By Audience",  # a listing's filter heading, one word: no author's name
    "By Functionality",
    '"By Marcus Bell," she said, "was the best book of the year."',
    "Von Berlin nach Hamburg fahren täglich 40 Züge.",
    "Par ailleurs, le maire a démissionné.",
    "Readers were asked to share your thoughts on the budget, the mayor said.",
    'She told the class: "Share your thoughts in the comments below."',
    "Related research: a 2019 survey of 3,000 farms found the same.",
    "Related Work",
    "Recommended: at least 150 minutes of brisk walking a week, the guidance says.",
    "Más información: llame al 112 o acuda al centro de salud más cercano.",
    '"Read more: that is what I tell every student," the teacher said.',
    "Read more carefully: the contract says otherwise, the lawyer argued.",
    "Lesen Sie auch die Stellungnahme der Ministerin, die am Montag veröffentlicht wurde.",
    "Voir aussi la carte des pistes cyclables publiée par la mairie.",
    "Leggi anche il rapporto della Banca d'Italia, che conferma la crescita.",
    "Share Your Story",
    '"Share this story," he urged his followers.',
    "Shares on Facebook and Twitter rose 4% after the results.",
    "Partager cet article avec ses collègues est interdit, précise le règlement.",
    "Sign up for the council's consultation on its website, officials said.",
    '"Sign up for our newsletter," the mayor joked at the launch.',
    "Residents can sign up for the county's emergency alerts at its website.",
    "Get the latest vaccine at your pharmacy, the health minister urged.",
    "Réagissez vite, conseille le médecin, en cas de brûlure.",
    "Kommentieren wollte der Minister den Vorfall nicht.",
    # cruft-v3's look-alikes: the same words opening content
    "Antworten auf die wichtigsten Fragen zum Coronavirus",
    "Kommentare von Lesern zeigen, dass das Thema viele bewegt.",
    "Suche nach dem vermissten Kind geht weiter",
    "Zurück in die Zukunft",
    "Über den Autor des Romans ist wenig bekannt.",
    "Veröffentlicht in der Zeitschrift Science, zeigt die Studie einen klaren Trend.",
    "Publié dans la revue Nature, l'article a fait grand bruit.",
    "Ähnliche Beiträge zahlten auch die Nachbarn.",
    "Weiterlesen lohnt sich: das zweite Kapitel ist das beste.",
    "Responder a la crisis es la prioridad del Gobierno, dijo el ministro.",
    '"Schreibe einen Kommentar", forderte der Lehrer die Klasse auf.',
    "Lea Müller: Meine Jahre in Berlin",
    "Add to cart the items you want, then pay at the till.",
    "Show more compassion to the elderly, the bishop said.",
    "Loading the truck took three hours.",
    "Embed the sensor in the wall before plastering.",
    "Ten minutes read aloud each day make a difference.",
    "Photo: the flood seen from the bridge on Monday.",
    "Back to the drawing board, the coach said after the loss.",
    "Image 3 of the report shows the damage.",
    "Join our team of volunteers at the library this summer.",
    # the new families' look-alikes: the same words in content
    "Name the three largest cities in the state.",
    "Phone numbers of the agencies are listed below.",
    "First names are rarely used in the ceremony.",
    "Message",
    "Website",
    "Submit your application before March 1 to be considered.",
    "By signing up early, residents agree to pay less, the operator said.",
    "“By signing up, you agree to our terms,” the page told its users.",
    "By clicking the link, you agree to nothing: it only opens the map.",
    "The study was licensed under a Creative Commons licence by the university.",
    "Republishing the findings was the journal's decision.",
    "Consider donating to support the flood victims, the mayor said.",
    "Donations support our work, the charity's director said.",
    "Sorted by size, the planets are listed below.",
    "Ask questions before you buy.",
    "Viewed from above, the city looks like a wheel.",
    "Click to enlarge the image.",
    "Follow me on this journey as I walk the Camino.",
    "Credit: The Federal Reserve/2024 report",
    "By Tuesday, March 3, 2024",
    "By March 3, 2024, the council had voted.",
    "Jane Austen, Novelist",
    "The Guardian, Editor",
    "Marcus Bell, the reporter who broke the story, declined to comment.",
    "Got a tip? Ask your server.",
    "Contact us at the office on weekdays.",
    "Email the writer at jane@courier.example.",
    "Continue reading to learn how the vote went.",
    "The story continues below the fold in the print edition.",
    "Listen to the article's author explain the findings.",
    "Listen carefully to the engine before you buy.",
    "Enter your email address to receive a password reset link.",
    "Don't miss the deadline: applications close on Friday.",
    "Recommended reading for the course includes two textbooks.",
    "Editor's note: this story was updated.",
    "This material may be published freely.",
    "Di Maio ha detto che il governo cadrà, giornalista",
    "Di Marco Rossi si sa poco.",
    "Seguici passo dopo passo nella ricetta.",
    "Beitrag teilen ist ausdrücklich erwünscht, sagt die Redaktion.",
    "Foto: dpa-Archivbilder zeigen die alte Brücke.",
    "Von Berlin nach Hamburg fahren täglich zwölf Züge.",
    # look-alikes of the furniture added on 2026-12-05: the same words in a sentence, a quote or a heading
    "Trending now are shorter commutes, the survey found, as more people work from home.",
    "You might also like the new routes if you live in the eastern districts, the director said.",
    "Advertisement revenue fell by twelve percent last year, the report said.",
    "Scroll down the page to see the full timetable for each route.",
    "Story by story, the tower rose above the old harbour.",
    "By Tuesday, the reporter had filed three stories from Madrid.",
    "Par ailleurs, la journaliste a rencontré le maire à Lyon.",
    "Share prices of Facebook and Twitter fell sharply on Monday.",
    "Sharing is caring, the teacher reminded the children before lunch.",
    "Download the app and sign in with your library card number.",
    "Get the app from the store, then scan the code at the bus stop.",
    "Subscribe to our YouTube channel, the singer told fans at the end of the concert.",
    "Join our team of volunteers on Saturday to clean the river bank.",
    "Photo courtesy of the museum is gratefully acknowledged.",
    "File photos from the archive show the old tram depot.",
    "Comments (12) were received during the consultation period.",
    "Reading time: the survey found that adults read for 16 minutes a day.",
    "Abonnez-vous à la piscine municipale pour nager toute l'année.",
    "Deel dit artikel met je collega's, zei de minister in een verklaring aan de pers.",
    "Related topics include fares, parking and the new cycle lanes, the director said.",
    "Email to a friend was how most residents heard about the meeting, the survey found.",
    "First published in 1871, the newspaper is the oldest in the county.",
    "Report a correction to the council, the mayor urged residents at the meeting on Tuesday.",
    "Follow the river on foot and you will reach the old mill in an hour.",
    "Más noticias llegaron el martes desde la capital, según la agencia.",
    "Newsletters from the agency list every change to the timetable.",
    "Editors' picks for the festival were announced on Friday, led by a debut novel.",
    "Our Picks",  # a buying guide's heading over its own list (a WCXB truth keeps it)
    "Sponsored by the city, the race raised money for the children's hospital.",
    "This article is more than a summary: it lists every stop on the new line.",
    "Save the article for later and read it on the train, the guide suggests.",
    "Print this page and bring it to the office with your ID.",
    "Text size matters on small screens, the designers found.",
    "Enable push notifications in the settings menu, then restart the phone.",
    "Be the first to comment on the draft plan before the deadline, the council asked residents.",
    "Log in to the portal to leave a comment on the planning application.",
    "Weitere Artikel zum Thema Verkehr sind in der Beilage erschienen, sagte die Redaktion.",
    "Watch: Huge flames in Tehran after air strikes on oil depots",  # a truth keeps a video's caption without its duration
    "Video: 4K/30p, Full HD 120p for slow motion",  # a camera's specs
    "Follow the money on Google News, the analyst joked.",
    "Follow Maria Lopez on her walk along the new route.",
    "Email us at info@citynews.example",  # a contact address, not a tip line
    "You have three more days to apply for the grant, the agency said.",
    "Back to top form, the striker scored twice in the second half.",
    "Topics discussed at the meeting included fares and the northern routes.",
    "Guardar silencio fue su decisión.",
    "Lees verder in het rapport van de gemeente over de nieuwe buslijnen.",
    # look-alikes of the seventh batch's families
    "Page 2 of the report lists the routes that will be cut first.",
    "Riders were asked to rate this year's service on a scale of one to ten.",
    '"Jump to the recipe," she laughed, "that is all anyone does."',
    "Report abuse of the fare system to the transit police, the agency said.",
    "Twelve people found the new timetable helpful, the survey said, and forty did not.",
    "Was this article helpful to the council? The auditor thinks not.",
    "Was this information helpful?",  # under a service page's cost data, a WCXB truth keeps it
    "Was it useful?",  # a question in an interview or a heading, not the widget (which names the page)
    "Is that helpful?",
    "09:00 / 17:00",  # opening hours; a player's clock counts from zero
    "Thank you for your feedback on the draft plan, the mayor wrote to residents.",
    "Next Steps for the Eastern Routes",
    "Next »",  # a menu's word, left to the classifier
    "Next Page",  # a listing's pagination, which WCXB truths keep with the listing
    "Around the web",  # a blog's heading over its own links (a WCXB truth)
    "Powered by solar panels, the depot needs no power from the grid.",
    "Last edited by the council in 2019, the plan now needs a new vote.",
    "Last edited by chunix64 (2025-11-01 15:15:18)",  # FluxBB's stamp, kept with the post by a WCXB truth
    "Quote from: the annual report, page 12",
    "Hace dos horas que esperamos el autobús, dijo una vecina del barrio norte.",
    "Vor drei Stunden begann die Sitzung des Stadtrats.",
    "Advertenties in de bussen brachten vorig jaar twee miljoen euro op.",
    "Promoted stories about the plan ran in three local papers, the audit found.",
    "Die Cookie-Einstellungen der Stadtseite wurden nach der Beschwerde geändert.",
    "As an Amazon associate, Maria worked night shifts at the warehouse for six years.",
    "As an Amazon Associate, this website earns from qualifying purchases.",  # a paraphrase two WCXB truths keep
    "Some of the links in the scheme were affiliate links, the regulator said.",
    "Für jeden Verkauf erhalten wir eine Provision, sagte der Händler.",
    "Réservé aux abonnés du réseau, le nouveau tarif entre en vigueur en mai.",
    "La riproduzione riservata ai soli abbonati è stata sospesa.",
    "Atualizado em 2024, o plano prevê três novas linhas de ônibus.",
    "Edit this page's timetable only if you work for the agency, the guide warns.",
    "Read our editorial standards before you pitch a story, the editor advised.",
    "12 from 40 votes went to the mayor's plan.",
    # look-alikes of the eighth batch's families
    "Key events of the week included the budget vote and the opening of the new depot.",
    "Key events",  # a timeline's own heading says it too
    "Photo 3 of the exhibition shows the old depot.",
    "The summary, generated by AI software the agency bought last year, contained several errors, the auditor said.",
    "The study was originally published in Spanish and was translated by the university press.",
    "This article was translated from German by Jane Doe.",  # a translator's credit names no machine
    "This article is republished from The Conversation under a Creative Commons license.",  # a WCXB truth keeps it
    "Correction: An earlier version of this article misstated the number of new bus routes.",
    '"Add to calendar," she said, reading the button aloud, "is the only thing anyone ever clicks."',
    "In den Warenkorb legten die Kunden vor allem Monatskarten, sagte der Händler.",
    "Zum Inhalt der Sitzung sagte der Bürgermeister nichts.",
    "Your browser does not support the new fare cards yet, the agency warned.",
    "Fact checked by two editors, the report found no errors in the agency's figures.",
    "Reviewed by Congress",
    "Listen on the Bus: Podcasts for the Morning Commute",
    "Sponsored by the city, the festival drew forty thousand visitors, the organisers said.",
    "This post was sponsored by the council in 2019 and has been vacant since, the union said.",
    "Läs också rapporten från i fjol, sa direktören till reportrarna.",
    "Page last reviewed in 2019, the safety plan is now out of date, the inspector said.",
    "Cet article date de 2019 et reste d'actualité.",
    # the tenth batch's look-alikes: the same words in sentences that go on
    "The app lets riders download tickets before they board.",
    "Download the app and sign in with your library card, the librarian said.",
    "Descargar la aplicación es gratis, según la empresa.",
    "Die App wurde von Millionen Menschen heruntergeladen.",
    "Kommentare aus dem Stadtrat fielen überwiegend kritisch aus.",
    "Hide the comments, the moderator joked, and nobody would notice.",
    "The gallery will open in June with works by local artists.",
    "Dark mode and light mode are both supported by the new software.",
    "12 photos of the flood were shown at the hearing.",
    "Like this one, most of the bridges were built before 1950.",
    "Listen to the crowd and you will hear why the mayor won the vote.",
    "Bookmark the council's page, the clerk advised, because the agenda changes often.",
    # the twelfth and thirteenth batches' look-alikes: dressed headlines, sentences that go on, a quote's attribution
    "Rail strike ends after six weeks | 5 May 2026",
    "➡️ The council voted to extend the bus network by three routes.",
    "—Jessica Brandt, Senior Editor",  # a quote's attribution under a testimonial
    "By Latitude Home®",  # a shop's brand, not a byline
    "PIN *",  # a form's required field
    "Next up: the council votes on the budget in March.",
    "Receive the news every morning, the company promised its readers.",
    "Dieser Artikel ist für Abonnenten verfügbar, sagte der Verlag, und bleibt es bis Mai.",
    "Por Madrid pasaron más de dos millones de turistas en diciembre.",
    "Door Amsterdam | Rotterdam | Utrecht rijdt de nieuwe trein vanaf maart.",
    "Reporting by reporters on the ground was slower than the agency had hoped.",
    "Kommentare (aus dem Stadtrat) fielen kritisch aus.",
    "Edited by Hans Obermann and Kim Stavros",  # a book's or an exhibition's credit
    # the fourteenth and fifteenth batches' look-alikes
    'The mayor said "subscribe to the newsletter" twice before the vote.',  # a quote holds the call
    '"Sign up for the newsletter," she told the crowd.',
    "The author is a former reporter who spent ten years in Moscow.",  # a book review's sentence
    "Live updates were posted every hour by the council.",
    "Report this ad to the regulator if it misleads you, the agency said.",
    "Support independent journalism, the senator urged, by funding public radio.",
    "Sie nutzen einen Werbeblocker, sagt die Studie, und zwar jeder dritte Leser.",
    "See a suspicious bag? Report it.",  # advice, not the newsroom's call
    "Previous owners kept the garden; next year it opens to the public.",
    "Foto di gruppo per i vincitori del torneo",
    "Di Maio ha lasciato il partito nel 2022.",
    "Most read books of the year were thrillers, the library said.",
    "Door de regen werd de wedstrijd afgelast.",
    # the sixteenth batch's look-alikes
    "Smith covers the council for the Gazette.",  # an article's sentence about a reporter: no address after it
    "Jobs: the economy added 200,000 in March.",
    "Weather: 40° heat across the south this week",
    "Cancel the order before Friday, the shop advised.",
    "Found an error in your tax return? Here is what to do.",
    "Chart toppers of the decade were mostly ballads.",
    "Tendencias del mercado laboral en 2027",
    "Redacción de textos para la web, un curso de la universidad",
    "Already registered voters must bring an ID on Tuesday.",
    "Graphics: Nvidia RTX 4050",  # a laptop's specification
    "Cancel",  # a form's button, which truths keep with the form
    "F",  # a quiz's answer; a share bar's icon letters stay
    "Staff",
    # the seventeenth batch's look-alikes
    "If you have been affected by the floods, the council says, you can claim a grant until June.",
    "If you or someone you know saw the crash, police want to hear from you.",
    "The essay appeared in print in 1998 and was reissued last year.",
    "Only 12 left the party after the vote.",
    "Cite this article as an example of how not to report a poll, the professor told her students.",
    "Key event organisers say the festival will return next summer.",
    "Servings: 4",  # a recipe card's fact
    "Yes",  # an interview's answer
    "No.",
    "Are you over 18 and looking for work? The council's scheme can help.",
    "Hi, I'm Maria, and this is my blog about bread.",
    "Webinars have replaced most of the company's sales meetings since 2020.",
    "Your browser history is stored for 90 days, the company said.",
    "Fuente: Eurostat",  # a table's source, which truths keep
    "Tags are attached to every parcel at the depot.",
    "Partner content, the agency found, drew half the clicks.",
    "Download the free PDF guide from the ministry's website, the council advised.",
    "Nur noch 3 Prozent der Haushalte heizen mit Kohle.",
    "Meteo: la neve arriva al nord nel fine settimana",
    "Thema: Klimawandel und Landwirtschaft",
    "Cancel culture was the theme of the panel.",
    # a product's stock and ratings, which the product pages' truths keep, and a job's title
    "Only 1 left!",
    "4.6 out of 5 stars, 44,754 ratings",
    "Staff Engineer, Physical Design",
    # look-alikes of the eighteenth batch's families
    'Sent from my office in Lyon, the letter reached the minister within a day.',
    "Sort by: the committee's ranking, published on Friday, put Lyon first.",
    'Version 2.1 of the law passed in March.',
    'About 1,200 people are reading this report, the publisher said.',
    'Wetter in Berlin: 35 Grad am Wochenende erwartet',
    'Ajax won 3-1 against PSV in the final, and the fans celebrated until dawn.',
    'Log in to your account to see the results, the ministry told applicants.',
    'Merken Sie sich diesen Termin: Am 3. Mai beginnt die Anmeldung.',
    'Actualizado el censo, el ayuntamiento de Huesca cuenta ya con 53.956 vecinos.',
    'We want to hear from you about how the new timetable affects your commute, and we will publish a selection.',
    "Free shipping on all orders was the retailer's answer to the slump in sales.",
    'Het artikel verscheen in 1998 in een vakblad en werd sindsdien vaak geciteerd.',
    'Par le passé, publié le rapport annuel a toujours suscité des débats.',
    'Live',
    'A post shared by the mayor showed the flooded underpass on Sunday morning.',
    # look-alikes of the nineteenth batch's families (the hours alone, a travel piece's box, stay too)
    'Accessibility: the council says the new ramps will open in May.',
    'Forecast issued by the Met Office warned of snow across the Pennines.',
    'The river at Kingston rose to 1.84 m on Tuesday, rising faster than forecasters expected.',
    'Version 3.1 was released in March with 40 new features.',
    'Spieltag 9 brachte Mainz den ersten Sieg: 2:1 gegen Bochum.',
    'Final: Leeds beat Hull 2–0 in front of 30,000 fans.',
    'Service changes on the Green Line have angered commuters for months.',
    'Line 4 will be extended to the airport by 2030, the mayor said.',
    'Aviso: el plazo para pedir la beca de comedor termina el viernes.',
    'Apply now, the minister urged graduates, before the scheme closes in June.',
    'Listed by Forbes as one of the richest men in Texas, he died in 2019.',
    'Öffnungszeiten: Di–So 10–18 Uhr',
    'Book a table early: the restaurant fills up weeks ahead.',
    'Case 2:24-cv-00311 was dismissed by the judge on Friday.',
    'Top rated seller on eBay for a decade, she now runs a shop in Leeds.',
    'Doors open at 7pm, and the first band starts an hour later.',
    'Member since 1998, he has written more than 3,000 posts for the forum.',
    'Asked about the delay, the minister said nothing.',
    'Página actualizada el 3 de mayo: el ayuntamiento añadió los nuevos horarios.',
    'Retrouvez-nous sur Instagram, a lancé la chanteuse à ses fans.',
    'Este contenido ha sido elaborado por periodistas de la redacción con datos del INE.',
    'Riproduzione riservata la foto del quadro, ha precisato il museo.',
    'Ingredients for 4 servings are listed on the back of the packet.',
    # look-alikes of the twentieth batch's families (a helpline's number after "Call number:" is no shelfmark; a
    # wiki's bare "[edit]", which WCXB truths keep, stays)
    'Tracking number scams are rising, the postal service warned on Monday.',
    'Sendungsverfolgung: So funktioniert der neue Dienst der Post',
    'Tracciamento spedizione: come funziona il nuovo servizio di Poste',
    'Delivered to the neighbour, the parcel was never seen again, she said.',
    'Delivered, the minister said, is the word voters want to hear.',
    'Estimated delivery times have doubled since the strike began.',
    'Download for Windows is free, the company said.',
    "What's new in version 3: the app finally gets a dark mode.",
    'Release notes for the update were published on Tuesday.',
    'Signatur: Der Vertrag trägt die Unterschrift beider Minister und ist ab sofort verfügbar.',
    'Call number: 0800 555 0199 · Available around the clock',
    'Quotes delayed by 15 minutes frustrated traders on Friday, the exchange said.',
    'Verzögerung um 15 Minuten: Börse startet später · Handel ab 9:15 Uhr',
    'Book an appointment with your GP before the winter rush, the health service advises.',
    'Termin buchen beim Bürgeramt – so klappt es ohne Wartezeit',
    'Next appointment: the minister will meet the unions again on Friday.',
    'Cited by 40 scholars in its first year, the paper changed the field.',
    'Distinguished by three later courts, the ruling still stands.',
    'Born in 1843 in County Cork, she left 4 records attached to the parish register.',
    'Platform 4 was closed at 14:32 after a signal failure.',
    'Easy apply, the minister promised, but the form runs to 40 pages.',
    'Kaltmiete · Warum die Preise in München weiter steigen',
    'Check-in at 3pm – check-out by 11am, the hotel told guests.',
    'Free cancellation is not what the airline promised, passengers say.',
    'Box score aside, the Lakers played their best game of the season.',
    'Season 2 arrives on Friday with eight episodes and a new villain.',
    'Orange warning for Bristol as storms move in from 18:00',
    'Prep time is 15 minutes, and the dish serves four.',
    'Add a spouse to the policy and the premium rises by a third.',
    'This page was last edited on 3 March by a volunteer who has since left.',
    '[edit]',
    # look-alikes of the twenty-first batch's families: headlines, reported and quoted speech using their words (a
    # label with no state, a list or a bar, a price or a time after it; a saint's story after "Santo del giorno:")
    'Holdings: 3 copies of the Gutenberg Bible survive in Germany, the library says.',
    'Received 14 March, the complaint was accepted by the ombudsman in June.',
    'Add to Chrome, the company urged users, before the update lands.',
    'pip install is all it takes, the maintainers wrote in the release notes.',
    'Stars 12, forks 3: the small project is suddenly everywhere',
    'Application status: why thousands of visa applicants are still waiting',
    'Antragsstatus: Was Sie tun können, wenn die Behörde nicht antwortet',
    'Reports will be available in the parent portal from Friday, the head teacher said.',
    'Your prescription is ready for collection, the text said, but the pharmacy was closed.',
    'Zählerstand: Warum viele Kunden im Januar eine Nachzahlung erhalten',
    'Scadenza 31 dicembre: chi deve pagare la seconda rata e come fare',
    'Esito: il ricorso è stato respinto dal Tar del Lazio',
    'Recogida de basura: huelga de limpieza en Madrid desde el lunes',
    "ZTL: il Comune rinvia l'attivazione dei varchi a gennaio",
    'Meld een probleem: zo werkt de nieuwe app van de gemeente',
    "Investigating — why the council's IT bill doubled in two years",
    'Waiting time: 4 hours in A&E, the worst figure since records began',
    'Auslastung der Kliniken: Ab Montag gelten neue Regeln',
    'Ladesäule frei? In der Innenstadt ist das selten, klagen E-Autofahrer',
    'Bollettino valanghe: in Trentino il pericolo è marcato sopra i 2000 metri, avverte il servizio',
    'Hochrechnung: CDU bleibt stärkste Kraft, SPD verliert deutlich',
    'Lottozahlen: Ein Tipper aus Bayern knackt den Jackpot mit 3 – 11 – 19',
    '£12,000 raised for the hospice in a single weekend, organisers say',
    'Przekaż 1,5% podatku – apelują organizacje pożytku publicznego',
    "This article needs to be read alongside last week's report on the same school.",
    'This article relies on interviews with twelve former staff.',
    'Dieser Artikel ist Teil unserer Serie über Wohnen im Alter.',
    'Which kit do you prefer? Fans chose the home shirt by 64% to 36%.',
    'Your score: 7/10 — here is what the answers tell you',
    'You received this message because you are a registered voter, the council said.',
    'Per serving, the dish has fewer than 400 calories.',
    'Nährwerte: Warum Kalorienangaben oft nicht stimmen',
    "Leggere attentamente il foglio illustrativo è il primo consiglio dei farmacisti, ricorda l'Aifa.",
    'Zu Risiken und Nebenwirkungen lesen Sie die Packungsbeilage – dieser Satz ist längst Kult.',
    'Committente responsabile: chi paga davvero i manifesti elettorali?',
    'Paid for by taxpayers, the scheme will cost £2m a year.',
    'Next trains: every 30 minutes from Monday, the operator says',
    'Traffic: 4 km of new cycle lanes opened on Monday',
    'Live 90 minutes of football and not one shot on target, fans complained',
    '00:00 is when the new law takes effect, the ministry said.',
    'Full screen, 4K and captions: what the new TV app brings',
    'Pegel: Rhein erreicht in Köln 6,20 Meter',
    'Horoskop: Warum so viele Menschen an Sterne glauben',
    'FSK 16: Warum der Film trotz Gewalt im Kino läuft',
    'Kondolenzen aus aller Welt für den verstorbenen Papst',
    'Kontrast: A+ für die Schule, ein Minus für die Stadt',
    'Santo del giorno: la storia di San Nicola, patrono di Bari',
    'Czy 24 grudnia to niedziela handlowa? Wyjaśniamy',
    'Aufrufe: Die Polizei bittet um Hinweise zum Unfall',
    'Lecture publique : la bibliothèque rouvre ses portes',
    'Endet in Tränen: Die Auktion des Jahrhunderts',
    'Posted 3 days ago, the video has been viewed a million times.',
    'Matrícula abierta: el plazo para la FP termina el viernes',
    'Horário das missas muda no Natal, avisa a paróquia',
    'Rezerwacja stolika na sylwestra to wyzwanie, mówią restauratorzy',
    "Numero verde per le vittime dell'alluvione: 800 123 456",
    'In transit: the long road of a family from Aleppo to Hamburg',
    'Cita previa: el Gobierno amplía el sistema a todas las oficinas',
    'Diesel 1,629 Euro: so teuer wie seit Monaten nicht',
    'Precio de la luz: el Gobierno prorroga la rebaja del IVA',
    'Size: the new stadium holds 40,000 fans',
    'Rated 4.3 out of 5, the hotel still disappoints some guests.',
    'Free delivery over £40 is standard now, retailers say',
    'Antes 2,35 €, ahora 1,89 €: así ha bajado el aceite',
    '24 products were recalled on Monday.',
    'em até 10x de R$ 89,90 sem juros, diz a loja',
    'Cupom aplicado: como os golpistas enganam consumidores',
    'Laagste prijs in 30 dagen: wat de nieuwe regel betekent',
    'Ledenvoordeel: waarom de supermarkt loyale klanten beloont',
    '3 999 zł za rower? Tyle kosztuje nowy model',
    'Page 7 of the report, marked confidential, was leaked to the press.',
    "Qu'avez-vous pensé de cette réforme ? Les lecteurs répondent",
    'Materiał dostępny do końca roku w bibliotece miejskiej.',
    'Jetzt 30 Tage gratis testen, sagt der Anbieter, danach wird es teuer.',
    'Block 114 was where the fans gathered before kick-off.',
    'Einlass ab 18 Uhr: Was Besucher beim Konzert beachten müssen',
    'Séance de rattrapage pour les élèves de terminale',
    'Kijkwijzer 12: waarom de film toch voor kinderen werd gekeurd',
    'Tráfico: retenciones de 4 km en la A-6 por un accidente, según la DGT',
    '"Your order is ready for collection," the message read, but the shop had closed.',
    'Status van je aanvraag: wat je kunt doen als de gemeente niet reageert',
    'Mass times will change over Christmas, the parish said.',
    "Sat 14 Jun → Tue 17 Jun: the festival's full programme",
    'Which party do you agree with most? Take our test and find out.',
    'Out for delivery: life inside a parcel depot at Christmas',
    'Try it free for 30 days, then decide, the company says.',
]


@pytest.mark.parametrize("line,rule", REMOVE)
def test_rule_removes_cruft_line(pack, line, rule):
    kept, removals = apply_rules(line, pack)
    assert kept == ""
    assert [(r.rule, r.whole_line) for r in removals] == [(rule, True)]


@pytest.mark.parametrize("line", KEEP)
def test_rule_keeps_look_alike_content(pack, line):
    assert apply_rules(line, pack) == (line, [])


def test_every_rule_in_the_pack_has_a_remove_case(pack):
    assert {r.code for r in pack.rules} == {rule for _, rule in REMOVE}


# A trailing call to action inside a content line goes; the content stays.
SENTENCE_CASES = [
    (
        "Key points of the plan are listed below. This summary was generated by AI and reviewed by our editors.",
        "Key points of the plan are listed below.",
        ["ai_notice"],
    ),
    (
        "Here is how to make the perfect pancake. This post was sponsored by Acme Flour, but all opinions are my own.",
        "Here is how to make the perfect pancake.",
        ["affiliate_disclosure"],
    ),
    (
        "These are the ten best kettles we tested this year. When you buy through our links, we may earn a commission.",
        "These are the ten best kettles we tested this year.",
        ["affiliate_disclosure"],
    ),
    (
        "The vote is due on Friday. Share your thoughts in the comments below!",
        "The vote is due on Friday.",
        ["comment_prompt"],
    ),
    (
        "The vote is due on Friday. What do you think? Let us know in the comments.",
        "The vote is due on Friday.",
        ["comment_prompt", "comment_prompt"],
    ),
    (
        "Prices rose 4% in May, the agency said. Sign up for our newsletter for daily updates.",
        "Prices rose 4% in May, the agency said.",
        ["newsletter_prompt"],
    ),
    (
        "Why did the talks fail? Officials blamed the weather. Read the original report from AP for more details.",
        "Why did the talks fail? Officials blamed the weather.",
        ["read_original"],
    ),
    (
        "The council approved the budget on Monday. Subscribe to continue reading.",
        "The council approved the budget on Monday.",
        ["paywall_notice"],
    ),
    (
        "Die Stadt plant neue Radwege. Folgen Sie uns auf Twitter für Updates.",
        "Die Stadt plant neue Radwege.",
        ["follow_prompt"],
    ),
    (
        "The Courier covers one topic: the harbour. Consider becoming a member to support our local journalism.",
        "The Courier covers one topic: the harbour.",
        ["donation_appeal"],
    ),
    (
        "Enter your e-mail address below. By subscribing, you agree to our Terms of Service.",
        "Enter your e-mail address below.",
        ["consent_notice"],
    ),
    (
        "Le conseil a voté le budget lundi. Abonnez-vous pour lire la suite.",
        "Le conseil a voté le budget lundi.",
        ["paywall_notice"],
    ),
    (
        "Police closed the road for three hours. Join our WhatsApp channel for breaking news.",
        "Police closed the road for three hours.",
        ["follow_prompt"],
    ),
    (
        "The council meets again in May. Have a question about this story? Contact our newsroom.",
        "The council meets again in May.",
        ["tip_prompt", "tip_prompt"],
    ),
    (
        "The vote is due on Friday. Want more stories like this? Follow us on Google News.",
        "The vote is due on Friday.",
        ["follow_prompt", "follow_prompt"],
    ),
    (
        "The kettle boils a litre in three minutes. As an Amazon Associate I earn from qualifying purchases.",
        "The kettle boils a litre in three minutes.",
        ["affiliate_disclosure"],
    ),
    (
        "The story was updated to correct the date of the vote. Spotted an error? See our corrections policy.",
        "The story was updated to correct the date of the vote.",
        ["tip_prompt", "tip_prompt"],
    ),
    (
        "Diese Bratpfanne hat uns im Test überzeugt. Dieser Beitrag enthält Affiliate-Links.",
        "Diese Bratpfanne hat uns im Test überzeugt.",
        ["affiliate_disclosure"],
    ),
]


@pytest.mark.parametrize(
    "sentence,judged",
    [
        ('Iscriviti alla newsletter "Prima Ora" per ricevere le notizie', "Iscriviti alla newsletter Q per ricevere le notizie"),
        ("Zapisz się do newslettera „Dzień dobry”", "Zapisz się do newslettera Q"),
        ("Abonnez-vous à « La Matinale » gratuitement.", "Abonnez-vous à Q gratuitement."),
        # speech: a quote that opens the sentence, holds more than a few words or a sentence's marks, or is left open
        ('"Sign up," she said.', None),
        ('The mayor said "subscribe to the newsletter today" twice.', None),
        ('He wrote "Subscribe, now" on the wall.', None),
        ("She kept saying “sign up for the newsletter", None),
    ],
)
def test_a_quoted_title_is_judged_as_one_word_and_quoted_speech_not_at_all(sentence, judged):
    assert without_quoted_titles(sentence) == judged


@pytest.mark.parametrize("line,kept,rules", SENTENCE_CASES)
def test_sentence_rules_remove_only_the_call_to_action(pack, line, kept, rules):
    out, removals = apply_rules(line, pack)
    assert out == kept
    assert [r.rule for r in removals] == rules
    assert not any(r.whole_line for r in removals)


def test_line_rules_for_a_length_are_the_rules_within_their_max_chars_in_pack_order(pack):
    limits = sorted({r.max_chars for r in pack.line_rules})
    for chars in [0, 1, *limits, *(n + 1 for n in limits), 10_000]:
        assert pack.line_rules_for(chars) == tuple(r for r in pack.line_rules if chars <= r.max_chars), chars


# --- a user's rule pack is checked: one line naming the rule and key -----------------------------

PACK_ERRORS = [
    # a string, not a list: it would become one one-letter regex per character
    ("rules:\n  - {code: promo, patterns: 'subscribe'}\n", "rule promo: patterns must be a list of regexes, not the string 'subscribe'"),
    ("rules:\n  - {code: promo, patterns: ['']}\n", "rule promo: pattern 1: expected a non-empty regex string"),
    ("rules:\n  - {code: promo, patterns: ['x?']}\n", "rule promo: pattern 1: 'x?' can match the empty string"),
    ("rules:\n  - {code: promo, patterns: ['foo', '\\b|bar']}\n", "rule promo: pattern 2: '\\\\b|bar' can match the empty string"),
    ("rules:\n  - {code: promo, patterns: [42]}\n", "rule promo: pattern 1: expected a non-empty regex string, got 42"),
    ("rules:\n  - {code: promo, patterns: ['x'], max_chars: '300'}\n", "rule promo: max_chars must be a whole number"),
    ("rules:\n  - {code: promo, patterns: ['x'], max_chars: 0}\n", "rule promo: max_chars must be a whole number"),
    ("rules:\n  - {code: promo, patterns: ['x'], max_chars: true}\n", "rule promo: max_chars must be a whole number"),
    # hostile round 8: max_chars bounds polynomial backtracking (`.*,.*,.*x$`); 100,000 ran for hours
    ("rules:\n  - {code: promo, patterns: ['.*,.*,.*x$'], max_chars: 100000}\n", "rule promo: max_chars 100000 is over 1,000: it bounds the time"),
    # polynomial backtracking past about 0.1 s on a line of the rule's max_chars (`search_steps`)
    ("rules:\n  - {code: promo, patterns: ['.*,.*,.*x$'], max_chars: 300}\n",
     "rule promo: pattern 1: '.*,.*,.*x$' is refused: a search that fails can take about 8e+09 steps on a line of 300"),
    ("rules:\n  - {code: promo, patterns: ['^\\s*\\s*\\s*\\s*x$'], max_chars: 300}\n", "give the rule max_chars 100 or less"),
    ("rules:\n  - {code: promo, patterns: ['.*,.*x$'], max_chars: 1000}\n", "give the rule max_chars 464 or less"),
    ("rules:\n  - {code: promo, patterns: ['x'], scope: [line]}\n", "rule promo: scope must be line or sentence, not ['line']"),
    ("rules:\n  - {code: promo, patterns: ['x'], case_sensitive: 'no'}\n", "rule promo: case_sensitive must be true or false"),
    ("rules:\n  - {code: promo, patterns: ['x']}\n  - {code: promo, patterns: ['y']}\n", "rule promo: a second rule with this code"),
    ("rules:\n  - {code: navigation, patterns: ['x']}\n", "rule navigation: the code is taken by a structural layer's rule"),
    ("rules:\n  - {code: Promo Box, patterns: ['x']}\n", "rule #1: code must be lower_case_with_underscores, got 'Promo Box'"),
    ("rules:\n  - subscribe\n", "rule #1 must be a mapping with code and patterns, got 'subscribe'"),
    ("- {code: promo, patterns: ['x']}\n", "expected a mapping with a 'rules' list, got [{"),
    ("just text\n", "expected a mapping with a 'rules' list, got 'just text'"),
    ("", "expected a mapping with a 'rules' list, got None"),
    ("version: 1\nrule: []\n", "expected a mapping with a 'rules' list"),
    ("version: 1\nrules: []\nextra: 1\n", "unknown top-level key 'extra'"),
    ("rules: [\n", "not valid YAML (line 2)"),
    # patterns that can backtrack exponentially (issue 16 item 6)
    ("rules:\n  - {code: promo, patterns: ['^(a+)+$']}\n", "rule promo: pattern 1: '^(a+)+$' is refused: the repeat around 'a'"),
    ("rules:\n  - {code: promo, patterns: ['(\\w+\\s?)+$']}\n", "rule promo: pattern 1: '(\\\\w+\\\\s?)+$' is refused"),
    ("rules:\n  - {code: promo, patterns: ['^(a|a)+$']}\n", "is refused"),
    ("rules:\n  - {code: promo, patterns: ['(a*)*b']}\n", "a repeated group that can match nothing"),
    ("rules:\n  - {code: promo, patterns: ['(x)\\1']}\n", "backreferences are not allowed"),
]


@pytest.mark.parametrize("text,message", PACK_ERRORS)
def test_a_bad_rule_pack_is_a_one_line_error_naming_the_rule(text, message):
    with pytest.raises(RulePackError) as info:
        parse_rule_pack(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value) and len(str(info.value)) < 400


def test_a_long_bad_pattern_is_not_echoed_whole():
    with pytest.raises(RulePackError) as info:
        parse_rule_pack("rules:\n  - {code: promo, patterns: ['(" + "a" * 5000 + "+)+']}\n")
    assert len(str(info.value)) < 400


# hostile round 20: a pattern that sets its own flags at its start was joined into the rule's
# alternation as it stood, and `re` refused the alternation: the run stopped with a traceback
OWN_FLAGS_PACK = r"""
rules:
  - code: promo
    scope: line
    patterns:
      - '^sign up now$'
      - '(?i)^SHARE your thoughts\b'
      - |-
        (?x) ^ subscribe \s to \s our \s newsletter   # the form's heading
      - '(?s)(?x)  ^ read \s more $  # a verbose one after another flag'
      - '(?a)^follow @\w+$'
"""


@pytest.mark.parametrize(
    "line,matched",
    [
        ("Share your thoughts below", True),
        ("Subscribe to our newsletter", True),
        ("Read more", True),
        ("Follow @abc", True),
        ("Follow @abcé", False),  # (?a): \w is ASCII only
        ("Sign up now", True),
        ("We share your thoughts", False),
        ("subscribe to our newsletter  # the form's heading", True),
    ],
)
def test_patterns_setting_their_own_flags_at_their_start_join_their_rule(line, matched):
    pack = parse_rule_pack(OWN_FLAGS_PACK)
    assert (pack.rules[0].search(line, folded(line)) is not None) is matched
    assert apply_rules(line, pack) == (("", [Removal("promo", line, True)]) if matched else (line, []))


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(a+)+$", r"(a|a)*$", r"(a|aa)*b", r"(\w+\s?)+$", r"(x+x+)+y", r"(-a*a*)*$", r"(a*-a*)*$", r"(\d+|\w+)+$",
        r"((?:ab|a)(?:c|bc))*$", r"(?=(a+)+$)x", r"(.*a){20}", r"([a-z]+\.?)+@",
    ],
)
def test_patterns_that_backtrack_exponentially_are_found(pattern):
    assert backtracking_risk(re.compile(pattern)) is not None


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(ab|a)*c", r"( [A-Z][\w.-]*){0,6}$", r"([A-Z][\w.-]+ ){1,3}is", r"[^.!?]{0,60}\bbelow", r"^(a|b)*$",
        r"(?i)( (facebook|twitter|copy link)){1,8}$", r"(\d+\s)+x", r"(comments?|reply)+", r"(?!(he|she)\b)\S{1,40} says:$",
    ],
)
def test_patterns_that_cannot_backtrack_exponentially_pass(pattern):
    assert backtracking_risk(re.compile(pattern)) is None


def test_every_bundled_pattern_passes_the_backtracking_check(pack):
    assert [(r.code, p.pattern) for r in pack.rules for p in r.patterns if backtracking_risk(p, r.max_chars)] == []


@pytest.mark.parametrize(
    "pattern,chars,steps",
    [
        # one start (anchored) or every start, each reading the line, every way the loops can split it
        (r"abc", 300, 300 * 300), (r"^.*x$", 300, 300), (r".*x$", 300, 300 * 300),
        (r".*,.*x$", 1000, 1000**3), (r"^.*,.*x$", 1000, 1000**2), (r".*,.*,.*x$", 300, 300**4),
        (r"^\s*\s*\s*\s*x$", 300, 300**4), (r"a*a*", 100, 100**3),
        # a bounded repeat splits the line at most its rounds ways, whatever the line's length
        (r"[^,]{0,30}.*x$", 1000, 1000 * 1000 * 30), (r"\s{0,30}\s{0,30}\s{0,30}x", 300, 300 * 300 * 30 * 30),
        # loops that cannot read the same text one after the other: one way
        (r"(?:\w{1,10} )*x", 300, 300 * 300), (r"\d+[a-z]+\d+", 300, 300 * 300), (r"[^,]*,.*x$", 300, 300 * 300),
        # a lookahead is a search of its own from every position the pattern reaches
        (r"(?=.*x.*y)z", 300, 300**4),
    ],
)
def test_search_steps_is_the_polynomial_of_the_loops_that_can_share_a_line(pattern, chars, steps):
    assert search_steps(re.compile(pattern), chars) == steps


def test_the_max_chars_a_refusal_offers_is_one_the_check_passes():
    for pattern in (".*,.*,.*x$", "^\\s*\\s*\\s*\\s*x$", ".*,.*x$", "(?=.*x.*y)z"):
        with pytest.raises(RulePackError) as info:
            parse_rule_pack(f"rules:\n  - {{code: promo, patterns: ['{pattern}'], max_chars: 1000}}\n")
        offered = int(re.search(r"max_chars (\d+) or less", str(info.value)).group(1))
        parse_rule_pack(f"rules:\n  - {{code: promo, patterns: ['{pattern}'], max_chars: {offered}}}\n")
        with pytest.raises(RulePackError):
            parse_rule_pack(f"rules:\n  - {{code: promo, patterns: ['{pattern}'], max_chars: {offered + 1}}}\n")


def _random_pattern(rng: random.Random) -> str:
    return random_pattern(rng, ["a", "b", "[ab]", ".", "a?", "(?:ab)"], ['*', '+', '{1,5}'])


def test_patterns_the_check_passes_match_fast_on_adversarial_lines():
    """The check's promise, tried: 400 random patterns over a and b; each one it passes must finish
    on lines built to make a backtracking matcher try every split (a run, then a mismatch)."""
    rng = random.Random(16)
    lines = ["a" * 30 + "!", "ab" * 20 + "!", "aab" * 12 + "!", "b" * 30 + "!"]
    passed = 0
    for _ in range(400):
        pattern = re.compile(_random_pattern(rng) + "$")
        if backtracking_risk(pattern) is not None:
            continue
        passed += 1
        for line in lines:
            started = time.perf_counter()
            pattern.search(line)
            assert time.perf_counter() - started < 0.5, (pattern.pattern, line)
    assert passed >= 100  # the test tried the check's positive side, not only its refusals


# hostile round 8: two rules backtracked on lines of their max_chars (benchmarks/rule_search_time.py
# times every rule on such lines); their rewrites must match exactly the lines the old patterns did.
# the patterns as they were before the rewrite: the rewrite must match exactly the same lines
_KW = (r"(published|updated|posted|last updated|last modified|first published|originally published|veröffentlicht|"
       r"aktualisiert|publié|mis à jour|publicado|actualizado|опубликовано|обновлено)")
_BEFORE = {
    "qa_widget": r"^[\d,.]*k?\s?(\d+\s?(gold|silver|bronze) badges?\s?){1,3}$",
    "dateline": "^" + _KW + r"( on| at| am| le| el)?\s*:?\s*[\w ,.:/|-]{0,50}\d[\w ,.:/|-]{0,30}$",
}


def _badge_line(rng: random.Random) -> str:
    parts = [rng.choice(["1", "2", ",", ".", "k", "K", " ", "\t", "x", ""]) for _ in range(rng.randint(0, 6))]
    for _ in range(rng.randint(0, 4)):
        parts += [rng.choice(["1", "12", "345", "", "\u0663", "a"]), rng.choice(["", " ", "\t", "  "]),
                  rng.choice(["gold", "silver", "bronze", "GOLD", "copper"]), rng.choice([" badge", " badges", "badge", " Badges"]),
                  rng.choice(["", " ", "\t", "s", "  "])]
    if parts and rng.random() < 0.5:
        parts[rng.randrange(len(parts))] = rng.choice(["1", " ", "k", ","])
    return "".join(parts)


def _stamp_line(rng: random.Random) -> str:
    tokens = ["1", "9", " ", "  ", "\t", ":", ",", ".", "/", "|", "-", "a", "Z", "on", " on", " at", " am", "\u00a0", "\u2003", "_", "é", "!", "\n"]
    head = rng.choice(["published", "Updated", "posted", "last updated", "Aktualisiert", "actualizado", "обновлено", "x"])
    return head + "".join(rng.choice(tokens) for _ in range(rng.randint(0, 30)))


def _matched(pattern: re.Pattern[str], line: str) -> str | None:
    m = pattern.search(line)
    return None if m is None else m.group(0)


@pytest.mark.parametrize("code,marker,make", [("qa_widget", " badges?", _badge_line), ("dateline", "( on| at| am| le| el)", _stamp_line)])
def test_rewritten_patterns_match_exactly_the_lines_they_matched_before(pack, code, marker, make):
    rule = next(r for r in pack.rules if r.code == code)
    before = re.compile(_BEFORE[code], re.IGNORECASE)
    (after,) = [p for p in rule.patterns if marker in p.pattern]
    rng = random.Random(8)
    lines = [make(rng) for _ in range(20_000)]
    outcomes = [_matched(before, line) for line in lines]
    assert [_matched(after, line) for line in lines] == outcomes
    assert sum(o is not None for o in outcomes) > 200  # both sides tried


# --- the disabled codes exist --------------------------------------------------------------------


@pytest.mark.parametrize("key", ["disabled_rules", "skip_after_extraction"])
def test_an_unknown_rule_code_in_the_clean_config_is_an_error(key):
    with pytest.raises(RulePackError, match=rf"clean\.{key}: no rule has the code 'bylines'"):
        read_clean_files(CleanConfig(**{key: ("navigation", "bylines")}))


@pytest.mark.parametrize("key", ["tail_comment_headers", "tail_thread_lines", "tail_related_headers"])
def test_an_unknown_rule_code_in_a_tail_list_is_an_error(key):
    # hostile round 15: a misspelt code matched no line, and the tail cut silently never happened
    with pytest.raises(RulePackError, match=rf"clean\.{key}: no rule of the rule pack has the code 'comment_widgets'"):
        read_clean_files(CleanConfig(**{key: ("comment_widget", "comment_widgets")}))
    with pytest.raises(RulePackError, match=rf"clean\.{key}: no rule of the rule pack has the code 'navigation'"):
        read_clean_files(CleanConfig(**{key: ("navigation",)}))  # a structure layer's code marks no line of the pack
    assert read_clean_files(CleanConfig(**{key: ("comment_widget", "comment_meta", "related_links")})).rule_pack


def test_every_pack_structural_and_classifier_code_can_be_disabled(pack):
    codes = (*(r.code for r in pack.rules), *STRUCTURAL_RULES, "classifier")
    assert read_clean_files(CleanConfig(disabled_rules=codes)).rule_pack


# --- the files travel with the job --------------------------------------------------------------

USER_PACK = "version: mine\nrules:\n  - {code: promo, scope: line, patterns: ['^buy our mugs']}\n"


def test_the_clean_stage_carries_the_pack_not_its_path(tmp_path):
    """The DoFn compiles on the worker from the text it carries: the path may not exist there."""
    path = tmp_path / "pack.yaml"
    path.write_text(USER_PACK, encoding="utf-8")
    cfg = CleanConfig(rule_pack=str(path), classifier=True)
    transform = StripCruft(cfg)  # built where the pipeline is built
    shipped = pickle.dumps(StripCruftFn(cfg, transform.files))
    path.unlink()  # the worker's file system: no such path
    worker = pickle.loads(shipped)
    worker.setup()
    assert [r.code for r in worker.pack.rules] == ["promo"]
    assert worker.model is not None
    kept = worker.decide(make_doc("d", "Title line\nBuy our mugs today\nThe council met on Monday to vote on the budget."))
    assert ("promo", 1) in kept.rule_counts and "Buy our mugs" not in kept.text


@pytest.mark.parametrize(
    "cfg,message",
    [
        (CleanConfig(rule_pack="no/such/pack.yaml"), "rule pack no/such/pack.yaml: no such file"),
        (CleanConfig(classifier=True, classifier_weights="no/such.json"), "classifier weights no/such.json: no such file"),
    ],
)
def test_a_missing_file_is_a_one_line_error(cfg, message):
    with pytest.raises(RulePackError, match=re.escape(message)):
        read_clean_files(cfg)


@pytest.mark.parametrize(
    "text,message",
    [
        ("[1, 2]", "not a weights file"),
        ("{\"features\": [\"x\"]}", "not a weights file"),
        ("{not json", "not a weights file"),
    ],
)
def test_a_bad_weights_file_is_a_one_line_error(tmp_path, text, message):
    path = tmp_path / "w.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        read_clean_files(CleanConfig(classifier=True, classifier_weights=str(path)))
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_bad_user_pack_names_its_file(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text("rules:\n  - {code: promo, patterns: 'subscribe'}\n", encoding="utf-8")
    with pytest.raises(RulePackError, match=re.escape(f"{path}: rule pack: rule promo: patterns must be a list")):
        read_clean_files(CleanConfig(rule_pack=str(path)))


def test_the_config_hash_covers_what_the_files_hold(tmp_path):
    from pipeline.config import load_config

    path = tmp_path / "pack.yaml"
    path.write_text(USER_PACK, encoding="utf-8")
    cfg = load_config(None, [f"clean.rule_pack={path}"])
    before = cfg.digest()
    path.write_text(USER_PACK.replace("mugs", "cups"), encoding="utf-8")
    assert cfg.digest() != before
    path.write_text(USER_PACK, encoding="utf-8")
    assert cfg.digest() == before


@pytest.mark.parametrize(
    "override,message",
    [
        ("clean.rule_pack=no/such/pack.yaml", "error: rule pack no/such/pack.yaml: no such file\n"),
        ("clean.disabled_rules=[bylines]", "error: clean.disabled_rules: no rule has the code 'bylines'"),
        ("clean.tail_comment_headers=[nope]", "error: clean.tail_comment_headers: no rule of the rule pack has the code 'nope'"),
    ],
)
def test_the_cli_refuses_a_bad_pack_in_one_line_and_keeps_the_previous_run(tmp_path, capsys, repo, override, message):
    from pipeline.run import main

    out = tmp_path / "out"
    (out / "clean").mkdir(parents=True)
    (out / "clean" / "part-0.parquet").write_bytes(b"previous run")
    (out / "_SUCCESS").write_text("")
    code = main(["--input", str(repo / "samples" / "*.txt"), "--output", str(out), "--overwrite", "--set", override])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
    assert (out / "clean" / "part-0.parquet").read_bytes() == b"previous run" and (out / "_SUCCESS").exists()


@pytest.mark.parametrize("name", ["cruft-v1.yaml", "cruft-v2.yaml", "cruft-v3.yaml"])
def test_every_bundled_pack_passes_the_checks(repo, name):
    pack = parse_rule_pack((repo / "configs" / "rules" / name).read_text(encoding="utf-8"))
    assert pack.version == name.removesuffix(".yaml")


def test_the_cli_refuses_a_pattern_that_backtracks_exponentially(tmp_path, capsys, repo):
    from pipeline.run import main

    path = tmp_path / "pack.yaml"
    path.write_text("rules:\n  - {code: promo, patterns: ['^(a+)+$']}\n", encoding="utf-8")
    code = main(["--input", str(repo / "samples" / "*.txt"), "--output", str(tmp_path / "out"), "--set", f"clean.rule_pack={path}"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: rule pack: rule promo: pattern 1: '^(a+)+$' is refused") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_pack_rules_in_skip_after_extraction_spare_extracted_text_only(pack):
    # a photo credit stays in text trafilatura extracted (ground truths keep it); the same text as
    # text input loses it; a call to comment and a newsletter sign-up go from both
    from transforms.clean import clean_document

    text = "\n".join(
        (
            "The council approved the tram extension on Tuesday after a decade of debate and delay.",
            "Photo: Jane Doe/Reuters",
            "Let me know in the comments what you think of the new line.",
            "Sign up for our daily briefing.",
            "Construction starts in May and the first trams run in 2027, the city said.",
        )
    )
    raw = make_doc("post.txt", text)
    extracted = raw.with_(flags=("extracted",))
    cfg = CleanConfig()
    assert "image_credit" in cfg.skip_after_extraction
    assert not {"comment_prompt", "newsletter_prompt"} & set(cfg.skip_after_extraction)
    lines = text.split("\n")
    assert clean_document(extracted, pack, cfg).text == "\n".join((lines[0], lines[1], lines[4]))
    assert dict(clean_document(extracted, pack, cfg).rule_counts) == {"comment_prompt": 1, "newsletter_prompt": 1}
    assert clean_document(raw, pack, cfg).text == "\n".join((lines[0], lines[4]))
    assert dict(clean_document(raw, pack, cfg).rule_counts) == {"comment_prompt": 1, "image_credit": 1, "newsletter_prompt": 1}


def test_rule_pack_without_codes_drops_only_those_rules_and_is_built_once(pack):
    smaller = pack.without(("comment_prompt", "navigation"))
    assert {r.code for r in pack.rules} - {r.code for r in smaller.rules} == {"comment_prompt"}
    assert pack.without(("comment_prompt", "navigation")) is smaller
    assert pack.without(("navigation",)) is pack  # no pack rule named: the pack itself
