<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>kiosk</name>
    <message>
        <source>Vous êtes toujours là ?</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <source>Touchez l&apos;écran pour continuer. Sinon, le projet sera effacé pour le visiteur suivant.</source>
        <translation>Touch the screen to carry on. Otherwise the project will be wiped for the next visitor.</translation>
    </message>
    <message>
        <source>Code incorrect. Nouvel essai dans {s} s.</source>
        <translation>Wrong code. Try again in {s} s.</translation>
    </message>
    <message>
        <source>Code incorrect. Réessayez.</source>
        <translation>Wrong code. Try again.</translation>
    </message>
    <message>
        <source>Code administrateur</source>
        <translation>Admin code</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Administration de la borne</source>
        <translation>Kiosk administration</translation>
    </message>
    <message>
        <source>Exporter les statistiques (CSV)</source>
        <translation>Export statistics (CSV)</translation>
    </message>
    <message>
        <source>Recharger les données du site</source>
        <translation>Reload the site data</translation>
    </message>
    <message>
        <source>Quitter le mode borne</source>
        <translation>Leave kiosk mode</translation>
    </message>
    <message>
        <source>Fermer</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Lot {id}</source>
        <translation>Plot {id}</translation>
    </message>
    <message>
        <source>{price} €/m²</source>
        <translation>€{price}/m²</translation>
    </message>
    <message>
        <source>Imaginez votre entreprise ici, en quelques gestes</source>
        <translation>Picture your company here, in a few gestures</translation>
    </message>
    <message>
        <source>Touchez l&apos;écran pour commencer</source>
        <translation>Touch the screen to start</translation>
    </message>
    <message>
        <source>Choisissez un terrain</source>
        <translation>Choose a plot</translation>
    </message>
    <message>
        <source>Touchez un lot sur le plan ou dans la liste. En vert : disponible.</source>
        <translation>Touch a plot on the map or in the list. Green: available.</translation>
    </message>
    <message>
        <source>Aucun lot choisi pour l&apos;instant.</source>
        <translation>No plot chosen yet.</translation>
    </message>
    <message>
        <source>{lot} n&apos;est plus disponible : choisissez un lot en vert.</source>
        <translation>{lot} is no longer available: choose a green plot.</translation>
    </message>
    <message>
        <source>Prix indicatif : {price} € HT</source>
        <translation>Guide price: €{price} excl. VAT</translation>
    </message>
    <message>
        <source>Continuer avec ce terrain  ›</source>
        <translation>Continue with this plot  ›</translation>
    </message>
    <message>
        <source>Grand volume de stockage, quais et cour camions</source>
        <translation>Large storage volume, docks and truck yard</translation>
    </message>
    <message>
        <source>Production ou maintenance, avec une cour</source>
        <translation>Production or maintenance, with a yard</translation>
    </message>
    <message>
        <source>Bureaux sur plusieurs niveaux</source>
        <translation>Offices on several floors</translation>
    </message>
    <message>
        <source>Magasin ou showroom ouvert au public</source>
        <translation>Shop or showroom open to the public</translation>
    </message>
    <message>
        <source>Un atelier et ses bureaux accolés</source>
        <translation>A workshop with its offices attached</translation>
    </message>
    <message>
        <source>Que voulez-vous construire ?</source>
        <translation>What would you like to build?</translation>
    </message>
    <message>
        <source>{lot} — {area} m². Choisissez un point de départ, vous l&apos;ajusterez ensuite.</source>
        <translation>{lot} — {area} m². Pick a starting point; you will adjust it next.</translation>
    </message>
    <message>
        <source>‹  Changer de terrain</source>
        <translation>‹  Change plot</translation>
    </message>
    <message>
        <source>Revenir au plan</source>
        <translation>Back to the plan</translation>
    </message>
    <message>
        <source>Voir en 3D en grand</source>
        <translation>Full-screen 3D view</translation>
    </message>
    <message>
        <source>Touchez un bâtiment pour le choisir</source>
        <translation>Touch a building to select it</translation>
    </message>
    <message>
        <source>✓  Votre projet respecte les règles du terrain</source>
        <translation>✓  Your project meets the plot’s rules</translation>
    </message>
    <message>
        <source>Encore un point à revoir</source>
        <translation>One thing left to fix</translation>
    </message>
    <message>
        <source>Encore {n} points à revoir</source>
        <translation>{n} things left to fix</translation>
    </message>
    <message>
        <source>Un doigt : déplacer   ·   Deux doigts : agrandir, tourner</source>
        <translation>One finger: move   ·   Two fingers: resize, turn</translation>
    </message>
    <message>
        <source>Hauteur</source>
        <translation>Height</translation>
    </message>
    <message>
        <source>Niveaux</source>
        <translation>Floors</translation>
    </message>
    <message>
        <source>↶  Annuler</source>
        <translation>↶  Undo</translation>
    </message>
    <message>
        <source>↷  Refaire</source>
        <translation>↷  Redo</translation>
    </message>
    <message>
        <source>Changer de modèle</source>
        <translation>Change model</translation>
    </message>
    <message>
        <source>Emporter mon projet  ›</source>
        <translation>Take my project  ›</translation>
    </message>
    <message>
        <source>Emportez votre projet</source>
        <translation>Take your project with you</translation>
    </message>
    <message>
        <source>1.  Ouvrez l&apos;appareil photo de votre téléphone.
2.  Visez ce code.
3.  Touchez le lien : votre projet s&apos;ouvre en 3D.</source>
        <translation>1.  Open your phone’s camera.
2.  Point it at this code.
3.  Tap the link: your project opens in 3D.</translation>
    </message>
    <message>
        <source>Rien n&apos;est envoyé ni enregistré : tout le projet tient dans le lien.</source>
        <translation>Nothing is sent or stored: the whole project is in the link.</translation>
    </message>
    <message>
        <source>conforme aux règles</source>
        <translation>meets the rules</translation>
    </message>
    <message>
        <source>encore à ajuster</source>
        <translation>still to adjust</translation>
    </message>
    <message>
        <source>{lot} · {floor} m² de plancher · {verdict}</source>
        <translation>{lot} · {floor} m² floor area · {verdict}</translation>
    </message>
    <message>
        <source>‹  Revenir au projet</source>
        <translation>‹  Back to the project</translation>
    </message>
    <message>
        <source>Terminer</source>
        <translation>Finish</translation>
    </message>
    <message>
        <source>Terrain</source>
        <translation>Plot</translation>
    </message>
    <message>
        <source>Modèle</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Ajuster</source>
        <translation>Adjust</translation>
    </message>
    <message>
        <source>Emporter</source>
        <translation>Take away</translation>
    </message>
    <message>
        <source>Ce modèle ne tient pas sur ce terrain : essayez-en un autre.</source>
        <translation>This model does not fit on this plot: try another one.</translation>
    </message>
    <message>
        <source>Recommencer</source>
        <translation>Start over</translation>
    </message>
    <message>
        <source>Visites : {n}</source>
        <translation>Visits: {n}</translation>
    </message>
    <message>
        <source>Lots consultés : {n}</source>
        <translation>Plots looked at: {n}</translation>
    </message>
    <message>
        <source>Modèles choisis : {n}</source>
        <translation>Models chosen: {n}</translation>
    </message>
    <message>
        <source>QR codes affichés : {n}</source>
        <translation>QR codes shown: {n}</translation>
    </message>
    <message>
        <source>Lots les plus consultés : {lots}</source>
        <translation>Most looked-at plots: {lots}</translation>
    </message>
    <message>
        <source>Export impossible : {error}</source>
        <translation>Export failed: {error}</translation>
    </message>
    <message>
        <source>Statistiques exportées : {path}</source>
        <translation>Statistics exported: {path}</translation>
    </message>
    <message>
        <source>Rechargement impossible : {error}</source>
        <translation>Reload failed: {error}</translation>
    </message>
    <message>
        <source>Oups, un petit souci. Nous reprenons depuis le début, merci de votre patience.</source>
        <translation>Oops, a small hitch. We are starting again from the beginning; thank you for your patience.</translation>
    </message>
</context>
</TS>
