// The viewer's own words, French first, English second. Rule names and check
// messages come from the core's catalogue, shipped in data.js (one source for
// Python and JavaScript).
import { fmtNumber, fmtPercent, fillTemplate } from './format.js';

export const LANGUAGES = ['fr', 'en'];

const UI = {
  'app.title': { fr: 'Visite 3D du parc', en: '3D tour of the park' },
  'app.loading': { fr: 'Chargement du parc…', en: 'Loading the park…' },
  'check.pending': { fr: 'Vérification en cours…', en: 'Checking…' },
  'check.failed': { fr: 'Vérification impossible pour ce projet', en: 'This project could not be checked' },
  'lang.switch': { fr: 'English', en: 'Français' },
  // The accessible name starts with the button's visible text (EN / FR).
  'lang.switch.label': { fr: 'EN — show the page in English', en: 'FR — afficher la page en français' },
  'panel.toggle.hide': { fr: 'Réduire le panneau', en: 'Collapse the panel' },
  'panel.toggle.show': { fr: 'Afficher le panneau', en: 'Expand the panel' },
  'view.reset': { fr: 'Vue d’ensemble', en: 'Whole park' },
  'view.top': { fr: 'Vue de dessus', en: 'Top view' },
  'view.left': { fr: 'Tourner à gauche', en: 'Turn left' },
  'view.right': { fr: 'Tourner à droite', en: 'Turn right' },
  'view.in': { fr: 'Rapprocher', en: 'Zoom in' },
  'view.out': { fr: 'Éloigner', en: 'Zoom out' },
  'view.controls': { fr: 'Commandes de la vue', en: 'View controls' },
  'view.hint': {
    fr: 'Un doigt : tourner · deux doigts : déplacer et zoomer · touchez un lot pour le détail',
    en: 'One finger: orbit · two fingers: pan and zoom · tap a lot for details',
  },
  'view.hint.desktop': {
    fr: 'Glisser : tourner · clic droit : déplacer · molette : zoom · flèches au clavier',
    en: 'Drag: orbit · right-drag: pan · wheel: zoom · arrow keys',
  },
  'scene.label': {
    fr: 'Vue 3D du parc ; utilisez les flèches pour déplacer, Maj + flèches pour tourner, + et − pour zoomer',
    en: '3D view of the park; arrow keys pan, Shift + arrows orbit, + and − zoom',
  },
  'legend.title': { fr: 'Légende', en: 'Legend' },
  'status.available': { fr: 'Disponible', en: 'Available' },
  'status.reserved': { fr: 'Réservé', en: 'Reserved' },
  'status.sold': { fr: 'Vendu', en: 'Sold' },
  'status.not_for_sale': { fr: 'Hors commercialisation', en: 'Not for sale' },
  'legend.project': { fr: 'Bâtiment du projet', en: 'Project building' },
  'legend.fault': { fr: 'Bâtiment en défaut', en: 'Building at fault' },
  'lots.title': { fr: 'Lots disponibles', en: 'Lots for sale' },
  'lots.none': { fr: 'Aucun lot disponible pour le moment.', en: 'No lot is for sale at the moment.' },
  'lots.count': { fr: '{n} lots disponibles sur {total}', en: '{n} of {total} lots for sale' },
  'lot.title': { fr: 'Lot {id}', en: 'Lot {id}' },
  'lot.close': { fr: 'Fermer le détail du lot', en: 'Close the lot details' },
  'lot.zone': { fr: 'Zone', en: 'Zone' },
  'lot.status': { fr: 'Statut', en: 'Status' },
  'lot.area': { fr: 'Surface', en: 'Area' },
  'lot.price': { fr: 'Prix', en: 'Price' },
  'lot.price.value': { fr: '{price} € HT/m²', en: '€{price}/m² excl. VAT' },
  'lot.estimate': { fr: 'Estimation', en: 'Estimate' },
  'lot.estimate.value': { fr: '≈ {price} € HT', en: '≈ €{price} excl. VAT' },
  'lot.rules': { fr: 'Règles applicables', en: 'Rules that apply' },
  'rule.max_coverage': { fr: 'Emprise au sol maximale', en: 'Maximum site coverage' },
  'rule.max_height_m': { fr: 'Hauteur maximale', en: 'Maximum height' },
  'rule.min_setback_road_m': { fr: 'Recul sur voie', en: 'Road setback' },
  'rule.min_setback_side_m': { fr: 'Recul sur limites séparatives', en: 'Side setback' },
  'rule.side_setback_height_ratio': { fr: '… et au moins', en: '… and at least' },
  'rule.side_setback_height_ratio.value': { fr: '{ratio} × hauteur', en: '{ratio} × height' },
  'rule.min_building_spacing_m': { fr: 'Distance entre bâtiments', en: 'Building spacing' },
  'rule.min_green_ratio': { fr: 'Espaces verts minimum', en: 'Minimum green space' },
  'rule.max_floor_area_m2': { fr: 'Surface de plancher maximale', en: 'Maximum floor area' },
  'rule.parking_m2_per_stall': { fr: 'Stationnement : 1 place pour', en: 'Parking: 1 stall per' },
  'rule.parking.value': { fr: '{area} m² ({use})', en: '{area} m² ({use})' },
  'use.office': { fr: 'bureaux', en: 'office' },
  'use.workshop': { fr: 'atelier', en: 'workshop' },
  'use.warehouse': { fr: 'entrepôt', en: 'warehouse' },
  'use.retail': { fr: 'commerce', en: 'retail' },
  'project.title': { fr: 'Projet', en: 'Project' },
  'project.untitled': { fr: 'Projet sans titre', en: 'Untitled project' },
  'project.shared': { fr: 'Projet partagé', en: 'Shared project' },
  'project.on_lot': { fr: 'Sur le lot {lot}', en: 'On lot {lot}' },
  'project.show': { fr: 'Voir le projet', en: 'Show the project' },
  'project.list': { fr: 'Projets', en: 'Projects' },
  'project.compliant': { fr: 'Conforme aux règles du lot', en: 'Meets the rules of the lot' },
  'project.not_compliant': { fr: 'Non conforme : {n} règle(s) à revoir', en: 'Not compliant: {n} rule(s) to review' },
  'project.checked_here': {
    fr: 'Vérifié dans votre navigateur, rien n’a été envoyé.',
    en: 'Checked in your browser; nothing was uploaded.',
  },
  'project.metrics': { fr: 'Chiffres clés', en: 'Key figures' },
  'metric.footprint_m2': { fr: 'Emprise au sol', en: 'Footprint' },
  'metric.floor_area_m2': { fr: 'Surface de plancher', en: 'Floor area' },
  'metric.green_ratio': { fr: 'Espaces verts', en: 'Green space' },
  'metric.parking': { fr: 'Places requises / prévues', en: 'Stalls required / provided' },
  'rule.ok': { fr: 'respectée', en: 'met' },
  'rule.fail': { fr: 'non respectée', en: 'not met' },
  'building.title': { fr: 'Bâtiment {id}', en: 'Building {id}' },
  'building.use': { fr: 'Usage', en: 'Use' },
  'building.height': { fr: 'Hauteur', en: 'Height' },
  'building.storeys': { fr: 'Niveaux', en: 'Storeys' },
  'building.area': { fr: 'Emprise', en: 'Footprint' },
  'building.context': { fr: 'Bâtiment existant', en: 'Existing building' },
  'error.link.title': { fr: 'Ce lien de projet ne peut pas être ouvert', en: 'This project link cannot be opened' },
  'error.link.body': {
    fr: 'Le lien est peut-être incomplet : recopiez-le en entier ou scannez à nouveau le QR code. Le plan du parc reste affiché.',
    en: 'The link may be incomplete: copy all of it or scan the QR code again. The park plan is still shown.',
  },
  'error.link.site': {
    fr: 'Ce projet concerne le site « {site} », pas celui-ci.',
    en: 'This project is for the site “{site}”, not this one.',
  },
  'error.link.lot': { fr: 'Le lot « {lot} » n’existe pas dans ce parc.', en: 'Lot “{lot}” does not exist in this park.' },
  'error.dismiss': { fr: 'Fermer', en: 'Close' },
  'error.nowebgl.title': {
    fr: 'La vue 3D ne peut pas s’afficher sur cet appareil',
    en: 'The 3D view cannot be shown on this device',
  },
  'error.nowebgl.body': {
    fr: 'Votre navigateur ne permet pas WebGL (ou il est désactivé). La liste des lots et les vérifications restent disponibles dans le panneau.',
    en: 'Your browser does not offer WebGL (or it is turned off). The list of lots and the checks are still in the panel.',
  },
  'error.nodata': {
    fr: 'Les données du parc sont absentes : le fichier data.js doit accompagner cette page.',
    en: 'The park data is missing: data.js must sit beside this page.',
  },
  'start.button': { fr: 'Préparer mon projet sur ce lot', en: 'Prepare my project on this lot' },
  'start.title': { fr: 'Mon projet sur le lot {lot}', en: 'My project on lot {lot}' },
  'start.subtitle': {
    fr: 'Partez d’un modèle conforme, calculé pour ce lot, ou d’un terrain vide.',
    en: 'Start from a compliant template laid out for this lot, or from an empty lot.',
  },
  'start.cancel': { fr: 'Fermer le choix du modèle', en: 'Close the template choice' },
  'start.unavailable': { fr: 'Modèle non disponible pour ce lot', en: 'Template not available for this lot' },
  'start.empty': { fr: 'Projet vide', en: 'Empty project' },
  'start.empty.blurb': { fr: 'Placez vous-même bâtiments et surfaces', en: 'Place the buildings and surfaces yourself' },
  'resume.title': { fr: 'Reprendre votre projet ?', en: 'Go back to your project?' },
  'resume.body': {
    fr: 'Ce navigateur a gardé « {title} » (lot {lot}).',
    en: 'This browser kept “{title}” (lot {lot}).',
  },
  'resume.yes': { fr: 'Reprendre', en: 'Resume' },
  'resume.no': { fr: 'Oublier ce projet', en: 'Forget it' },
  'open.error': { fr: 'Ce fichier ne peut pas être ouvert :', en: 'This file cannot be opened:' },
  'plan.label': {
    fr: 'Plan du lot, modifiable. Entrée : élément suivant ; flèches : déplacer ; Alt + flèches : largeur et profondeur ; [ et ] : tourner ; Suppr : supprimer ; Ctrl+Z : annuler.',
    en: 'Plan of the lot, editable. Enter: next item; arrows: move; Alt + arrows: width and depth; [ and ]: rotate; Delete: remove; Ctrl+Z: undo.',
  },
  'edit.views': { fr: 'Vue plan ou 3D', en: 'Plan or 3D view' },
  'edit.view.plan': { fr: 'Plan', en: 'Plan' },
  'edit.view.3d': { fr: '3D', en: '3D' },
  'edit.keys': { fr: 'Raccourcis clavier', en: 'Keyboard shortcuts' },
  'edit.keys.body': {
    fr: 'Sur le plan : Entrée ou Espace choisit l’élément suivant, les flèches le déplacent d’un mètre (Maj : 5 m), Alt + flèches changent largeur et profondeur, [ et ] le tournent de 5°, Suppr le supprime, Échap le désélectionne, + et − zooment. Partout : Ctrl+Z annule, Ctrl+Maj+Z rétablit.',
    en: 'On the plan: Enter or Space selects the next item, arrows move it by one metre (Shift: 5 m), Alt + arrows change width and depth, [ and ] turn it by 5°, Delete removes it, Escape deselects, + and − zoom. Anywhere: Ctrl+Z undoes, Ctrl+Shift+Z redoes.',
  },
  'edit.eyebrow': { fr: 'Mon projet', en: 'My project' },
  'edit.title': { fr: 'Titre du projet', en: 'Project title' },
  'edit.full': {
    fr: 'Plus de place libre sur le lot pour cet élément : déplacez ou réduisez les autres.',
    en: 'No free room left on the lot for this item: move or shrink the others.',
  },
  'edit.error.number': { fr: 'Saisissez un nombre (entre {min} et {max} {unit}).', en: 'Type a number (between {min} and {max} {unit}).' },
  'edit.error.integer': { fr: 'Saisissez un nombre entier (entre {min} et {max}).', en: 'Type a whole number (between {min} and {max}).' },
  'edit.error.range': {
    fr: 'Valeur refusée : elle doit être entre {min} et {max} {unit}.',
    en: 'Value refused: it must be between {min} and {max} {unit}.',
  },
  'edit.error.title': { fr: 'Le titre fait au plus 200 caractères.', en: 'The title is at most 200 characters long.' },
  'edit.selection': { fr: 'Élément choisi', en: 'Selected item' },
  'edit.select_hint': {
    fr: 'Touchez un bâtiment ou une surface sur le plan, ou choisissez-le dans la liste.',
    en: 'Tap a building or a surface on the plan, or pick it in the list.',
  },
  'edit.width': { fr: 'Largeur', en: 'Width' },
  'edit.depth': { fr: 'Profondeur', en: 'Depth' },
  'edit.angle': { fr: 'Orientation', en: 'Angle' },
  'edit.roof': { fr: 'Toiture', en: 'Roof' },
  'roof.flat': { fr: 'toit plat', en: 'flat' },
  'roof.shed': { fr: 'monopente', en: 'shed' },
  'roof.gable': { fr: 'deux pans', en: 'gable' },
  'roof.sawtooth': { fr: 'sheds', en: 'sawtooth' },
  'edit.stalls': { fr: 'Places (vide : selon le tracé)', en: 'Stalls (empty: as laid out)' },
  'edit.stalls.help': { fr: 'Le tracé du parking donne {n} places.', en: 'The car park layout gives {n} stalls.' },
  'edit.at_fault': { fr: 'en défaut', en: 'at fault' },
  'edit.duplicate': { fr: 'Dupliquer', en: 'Duplicate' },
  'edit.delete': { fr: 'Supprimer', en: 'Delete' },
  'edit.items': { fr: 'Bâtiments et surfaces', en: 'Buildings and surfaces' },
  'edit.add': { fr: 'Ajouter', en: 'Add' },
  'edit.items.more': {
    fr: '… et {n} autres, non listés : touchez-les sur le plan ou parcourez-les avec Entrée.',
    en: '… and {n} more, not listed: tap them on the plan or step through them with Enter.',
  },
  'edit.empty': { fr: 'Le projet est vide : ajoutez un bâtiment.', en: 'The project is empty: add a building.' },
  'edit.undo': { fr: 'Annuler', en: 'Undo' },
  'edit.redo': { fr: 'Rétablir', en: 'Redo' },
  'edit.snap': { fr: 'Aimanter (limites, reculs, voie)', en: 'Snap (boundaries, setbacks, road)' },
  'edit.new': { fr: 'Nouveau projet', en: 'New project' },
  'edit.leave': { fr: 'Revenir au parc', en: 'Back to the park' },
  'item.building': { fr: 'Bâtiment {id}', en: 'Building {id}' },
  'item.parking': { fr: 'Parking {id}', en: 'Car park {id}' },
  'item.yard': { fr: 'Cour {id}', en: 'Yard {id}' },
  'item.storage': { fr: 'Stockage {id}', en: 'Storage {id}' },
  'add.building': { fr: 'Bâtiment', en: 'Building' },
  'add.parking': { fr: 'Parking', en: 'Car park' },
  'add.yard': { fr: 'Cour', en: 'Yard' },
  'add.storage': { fr: 'Stockage', en: 'Storage' },
  'rule.show': { fr: 'Montrer', en: 'Show' },
  'rule.show.label': { fr: 'Montrer sur le plan ce qui est en défaut : {rule}', en: 'Show what is at fault on the plan: {rule}' },
  'share.title': { fr: 'Emporter mon projet', en: 'Take my project with me' },
  'share.nothing_uploaded': {
    fr: 'Rien n’est envoyé : le projet tient dans le lien, le fichier ou la feuille imprimée.',
    en: 'Nothing is uploaded: the project travels in the link, the file or the printed sheet.',
  },
  'share.link': { fr: 'Lien de partage', en: 'Share link' },
  'share.copy': { fr: 'Copier le lien', en: 'Copy the link' },
  'share.copied': { fr: 'Lien copié.', en: 'Link copied.' },
  'share.qr': { fr: 'QR code du lien de partage', en: 'QR code of the share link' },
  'share.qr_too_long': { fr: 'Projet trop grand pour un QR code : utilisez le lien ou le fichier.', en: 'Project too large for a QR code: use the link or the file.' },
  'share.download': { fr: 'Télécharger (.zacviz.json)', en: 'Download (.zacviz.json)' },
  'share.open': { fr: 'Ouvrir un fichier…', en: 'Open a file…' },
  'share.print': { fr: 'Imprimer la fiche', en: 'Print the sheet' },
  'share.send': { fr: 'Envoyer mon projet', en: 'Send my project' },
  'send.subject': { fr: 'Projet « {title} » sur le lot {lot}', en: 'Project “{title}” on lot {lot}' },
  'send.body': {
    fr: 'Bonjour,\n\nVoici mon projet « {title} » sur le lot {lot}.\nVérification indicative : {verdict}\n\nLien du projet : {link}\n',
    en: 'Hello,\n\nHere is my project “{title}” on lot {lot}.\nIndicative check: {verdict}\n\nProject link: {link}\n',
  },
  'legend.plan': { fr: 'Lecture du plan', en: 'Reading the plan' },
  'legend.road_band': { fr: 'Bande de recul sur voie (tirets jaunes)', en: 'Road setback band (yellow dashes)' },
  'legend.envelope': {
    fr: 'Emprise constructible pour la hauteur du bâtiment choisi (pointillés bleus)',
    en: 'Buildable area for the selected building’s height (blue dots)',
  },
  'legend.fault_item': { fr: 'Élément en défaut : contour rouge en tirets et ⚠', en: 'Item at fault: red dashed outline and ⚠' },
  'legend.fault_zone': { fr: 'Ce qui est en défaut pour la règle montrée', en: 'What is at fault for the rule shown' },
  'print.plan': { fr: 'Plan du projet sur le lot', en: 'Plan of the project on the lot' },
  'print.rules': { fr: 'Règles du lot', en: 'Rules of the lot' },
  'print.qr': { fr: 'Scannez pour ouvrir le projet', en: 'Scan to open the project' },
  'notice.illustrative': { fr: 'Données illustratives', en: 'Illustrative data' },
  'a11y.mention': { fr: 'Accessibilité : non conforme (voir la déclaration)', en: 'Accessibility: not compliant (see the statement)' },
  'disclaimer': {
    fr: 'Vérification indicative : le règlement d’urbanisme en vigueur prévaut.',
    en: 'Indicative check: the planning rules in force prevail.',
  },
};

let current = 'fr';

export function setLanguage(lang) {
  if (LANGUAGES.includes(lang)) current = lang;
  return current;
}

export function language() {
  return current;
}

/** The viewer's text for `key` in the current language, `{fields}` filled in. */
export function t(key, fields = {}) {
  const entry = UI[key];
  if (!entry) return key;
  return fillTemplate(entry[current] || entry.fr, fields);
}

/** A text of the core catalogue shipped in data.js (rule names...). */
export function catalogue(messages, key) {
  const entry = messages && messages[key];
  return entry ? entry[current] || entry.fr : key;
}

export const num = (x, decimals = 0) => fmtNumber(x, decimals, current);
export const pct = (ratio, decimals = 0) => fmtPercent(ratio, decimals, current);
