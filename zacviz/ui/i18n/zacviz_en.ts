<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="fr_FR">
<context>
    <name>ChecksPanel</name>
    <message>
        <source>Chiffres du projet</source>
        <translation>Project figures</translation>
    </message>
    <message>
        <source>Emprise au sol</source>
        <translation>Site coverage</translation>
    </message>
    <message>
        <source>Surface de plancher</source>
        <translation>Floor area</translation>
    </message>
    <message>
        <source>Espaces verts</source>
        <translation>Green space</translation>
    </message>
    <message>
        <source>Places requises / prévues</source>
        <translation>Stalls required / provided</translation>
    </message>
    <message>
        <source>Vérification indicative : le règlement d&apos;urbanisme en vigueur prévaut.</source>
        <translation>Indicative check: the planning rules in force prevail.</translation>
    </message>
    <message>
        <source>Pas encore de projet</source>
        <translation>No project yet</translation>
    </message>
    <message>
        <source>✔ Projet conforme</source>
        <translation>✔ Compliant project</translation>
    </message>
    <message numerus="yes">
        <source>✘ %n règle(s) non respectée(s)</source>
        <translation>
            <numerusform>✘ %n rule not met</numerusform>
            <numerusform>✘ %n rules not met</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ItemPanel</name>
    <message>
        <source>Identifiant</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>Use</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Largeur</source>
        <translation>Width</translation>
    </message>
    <message>
        <source>Profondeur</source>
        <translation>Depth</translation>
    </message>
    <message>
        <source>Orientation</source>
        <translation>Orientation</translation>
    </message>
    <message>
        <source>Hauteur</source>
        <translation>Height</translation>
    </message>
    <message>
        <source>Niveaux</source>
        <translation>Storeys</translation>
    </message>
    <message>
        <source>Toiture</source>
        <translation>Roof</translation>
    </message>
    <message>
        <source>Surface</source>
        <translation>Area</translation>
    </message>
    <message>
        <source>Places (calepinage)</source>
        <translation>Stalls (layout)</translation>
    </message>
    <message>
        <source>Dupliquer</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Aucune sélection</source>
        <translation>Nothing selected</translation>
    </message>
    <message>
        <source>Cliquez sur un bâtiment ou une surface pour le modifier ; faites-le glisser pour le déplacer, tirez ses poignées pour le redimensionner ou le pivoter.</source>
        <translation>Click a building or a surface to edit it; drag it to move it, drag its handles to resize or turn it.</translation>
    </message>
    <message>
        <source>Bâtiment %1</source>
        <translation>Building %1</translation>
    </message>
    <message>
        <source>Surface %1</source>
        <translation>Surface %1</translation>
    </message>
    <message>
        <source>%1 m² au sol, %2 m² de plancher</source>
        <translation>%1 m² footprint, %2 m² floor area</translation>
    </message>
    <message>
        <source>%1 (déclarées ; %2 au calepinage)</source>
        <translation>%1 (stated; %2 in the layout)</translation>
    </message>
    <message>
        <source>Renommer %1</source>
        <translation>Rename %1</translation>
    </message>
    <message>
        <source>Usage de %1</source>
        <translation>Use of %1</translation>
    </message>
    <message>
        <source>Type de %1</source>
        <translation>Kind of %1</translation>
    </message>
    <message>
        <source>Toiture de %1</source>
        <translation>Roof of %1</translation>
    </message>
    <message>
        <source>Largeur de %1</source>
        <translation>Width of %1</translation>
    </message>
    <message>
        <source>Profondeur de %1</source>
        <translation>Depth of %1</translation>
    </message>
    <message>
        <source>Orientation de %1</source>
        <translation>Orientation of %1</translation>
    </message>
    <message>
        <source>Hauteur de %1</source>
        <translation>Height of %1</translation>
    </message>
    <message>
        <source>Niveaux de %1</source>
        <translation>Storeys of %1</translation>
    </message>
    <message>
        <source>%1 : %2 refusé, entre %3 et %4</source>
        <translation>%1: %2 refused, between %3 and %4</translation>
    </message>
</context>
<context>
    <name>LotPanel</name>
    <message>
        <source>Règles du lot</source>
        <translation>Lot rules</translation>
    </message>
    <message>
        <source>Partir d&apos;un modèle</source>
        <translation>Start from a template</translation>
    </message>
    <message>
        <source>Appliquer</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Remplace les bâtiments et surfaces du projet par un modèle conforme</source>
        <translation>Replaces the project&apos;s buildings and surfaces with a compliant template</translation>
    </message>
    <message>
        <source>Nouveau projet sur ce lot</source>
        <translation>New project on this lot</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>Nom</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Surface</source>
        <translation>Area</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>Zone</translation>
    </message>
    <message>
        <source>Statut</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Prix</source>
        <translation>Price</translation>
    </message>
    <message>
        <source>Estimation</source>
        <translation>Estimate</translation>
    </message>
    <message>
        <source>Aucun lot choisi</source>
        <translation>No lot chosen</translation>
    </message>
    <message>
        <source>Cliquez sur un lot disponible (en vert) pour y démarrer un projet.</source>
        <translation>Click an available lot (green) to start a project on it.</translation>
    </message>
    <message>
        <source>Lot %1</source>
        <translation>Lot %1</translation>
    </message>
    <message>
        <source>Le projet est sur ce lot.</source>
        <translation>The project is on this lot.</translation>
    </message>
    <message>
        <source>Ce lot n&apos;est pas disponible.</source>
        <translation>This lot is not available.</translation>
    </message>
    <message>
        <source>Lot disponible.</source>
        <translation>Available lot.</translation>
    </message>
    <message>
        <source>Emprise au sol max. : %1</source>
        <translation>Max. site coverage: %1</translation>
    </message>
    <message>
        <source>Hauteur max. : %1 m</source>
        <translation>Max. height: %1 m</translation>
    </message>
    <message>
        <source>Recul sur voie : %1 m</source>
        <translation>Road setback: %1 m</translation>
    </message>
    <message>
        <source>Recul sur limites : %1 m</source>
        <translation>Side setback: %1 m</translation>
    </message>
    <message>
        <source> et H × %1</source>
        <translation> and H × %1</translation>
    </message>
    <message>
        <source>Distance entre bâtiments : %1 m</source>
        <translation>Building spacing: %1 m</translation>
    </message>
    <message>
        <source>Espaces verts min. : %1</source>
        <translation>Min. green space: %1</translation>
    </message>
    <message>
        <source>Surface de plancher max. : %1 m²</source>
        <translation>Max. floor area: %1 m²</translation>
    </message>
    <message>
        <source>Une place par : %1</source>
        <translation>One stall per: %1</translation>
    </message>
    <message>
        <source>%1 € HT</source>
        <translation>€%1 excl. VAT</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;Nouveau</source>
        <translation>&amp;New</translation>
    </message>
    <message>
        <source>&amp;Ouvrir…</source>
        <translation>&amp;Open…</translation>
    </message>
    <message>
        <source>&amp;Enregistrer</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Enregistrer &amp;sous…</source>
        <translation>Save &amp;as…</translation>
    </message>
    <message>
        <source>&amp;Quitter</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Ajouter un bâtiment</source>
        <translation>Add a building</translation>
    </message>
    <message>
        <source>Ajouter un parking</source>
        <translation>Add a car park</translation>
    </message>
    <message>
        <source>Ajouter une cour</source>
        <translation>Add a yard</translation>
    </message>
    <message>
        <source>Dupliquer</source>
        <translation>Duplicate</translation>
    </message>
    <message>
        <source>Supprimer</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Magnétisme</source>
        <translation>Snapping</translation>
    </message>
    <message>
        <source>Aimanter aux limites du lot, aux reculs et à la direction de la voie (S)</source>
        <translation>Snap to the lot&apos;s edges, the setbacks and the road direction (S)</translation>
    </message>
    <message>
        <source>Photo aérienne</source>
        <translation>Aerial photo</translation>
    </message>
    <message>
        <source>Zoom sur le lot</source>
        <translation>Zoom to the lot</translation>
    </message>
    <message>
        <source>Vue d&apos;ensemble</source>
        <translation>Whole park</translation>
    </message>
    <message>
        <source>Vue 3D</source>
        <translation>3D view</translation>
    </message>
    <message>
        <source>Afficher ou masquer la vue 3D (F3)</source>
        <translation>Show or hide the 3D view (F3)</translation>
    </message>
    <message>
        <source>&amp;Fichier</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>Fichiers &amp;récents</source>
        <translation>&amp;Recent files</translation>
    </message>
    <message>
        <source>É&amp;dition</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Affichage</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Langue</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>Outils</source>
        <translation>Tools</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>Lot</translation>
    </message>
    <message>
        <source>Projet</source>
        <translation>Project</translation>
    </message>
    <message>
        <source>Annuler « %1 »</source>
        <translation>Undo “%1”</translation>
    </message>
    <message>
        <source>Annuler</source>
        <translation>Undo</translation>
    </message>
    <message>
        <source>Rétablir « %1 »</source>
        <translation>Redo “%1”</translation>
    </message>
    <message>
        <source>Rétablir</source>
        <translation>Redo</translation>
    </message>
    <message>
        <source>Sans titre</source>
        <translation>Untitled</translation>
    </message>
    <message>
        <source>lot %1</source>
        <translation>lot %1</translation>
    </message>
    <message>
        <source>Cliquez sur un lot disponible pour démarrer un projet.</source>
        <translation>Click an available lot to start a project.</translation>
    </message>
    <message>
        <source>Projet conforme</source>
        <translation>Compliant project</translation>
    </message>
    <message numerus="yes">
        <source>%n règle(s) non respectée(s)</source>
        <translation>
            <numerusform>%n rule not met</numerusform>
            <numerusform>%n rules not met</numerusform>
        </translation>
    </message>
    <message>
        <source>Donnée refusée</source>
        <translation>Data refused</translation>
    </message>
    <message>
        <source>Erreur interne</source>
        <translation>Internal error</translation>
    </message>
    <message>
        <source>Une erreur interne est survenue ; le projet en cours est conservé.</source>
        <translation>An internal error occurred; the current project is kept.</translation>
    </message>
    <message>
        <source>Le lot %1 est trop petit pour le modèle « %2 ».</source>
        <translation>Lot %1 is too small for the “%2” template.</translation>
    </message>
    <message>
        <source>Ouvrir un projet</source>
        <translation>Open a project</translation>
    </message>
    <message>
        <source>Projets zacviz (*.zacviz.json);;Tous les fichiers (*)</source>
        <translation>zacviz projects (*.zacviz.json);;All files (*)</translation>
    </message>
    <message>
        <source>%1 : ce projet est pour le site « %2 », pas « %3 »</source>
        <translation>%1: this project is for site “%2”, not “%3”</translation>
    </message>
    <message>
        <source>%1 : le lot « %2 » n&apos;existe pas sur ce site</source>
        <translation>%1: lot “%2” does not exist on this site</translation>
    </message>
    <message>
        <source>Enregistrer le projet</source>
        <translation>Save the project</translation>
    </message>
    <message>
        <source>Projets zacviz (*.zacviz.json)</source>
        <translation>zacviz projects (*.zacviz.json)</translation>
    </message>
    <message>
        <source>Enregistré : %1</source>
        <translation>Saved: %1</translation>
    </message>
    <message>
        <source>Modifications non enregistrées</source>
        <translation>Unsaved changes</translation>
    </message>
    <message>
        <source>Le projet a été modifié. Voulez-vous enregistrer les modifications ?</source>
        <translation>The project has been changed. Do you want to save the changes?</translation>
    </message>
    <message>
        <source>Projet récupéré</source>
        <translation>Recovered project</translation>
    </message>
    <message>
        <source>zacviz ne s&apos;est pas fermé normalement. Récupérer le projet non enregistré ?</source>
        <translation>zacviz did not close normally. Recover the unsaved project?</translation>
    </message>
    <message>
        <source>Le projet récupéré ne correspond pas à ce site</source>
        <translation>The recovered project does not match this site</translation>
    </message>
</context>
<context>
    <name>Scene3DPanel</name>
    <message>
        <source>Soleil couché</source>
        <translation>Sun below the horizon</translation>
    </message>
    <message>
        <source>Soleil : azimut %1°, hauteur %2°</source>
        <translation>Sun: azimuth %1°, elevation %2°</translation>
    </message>
    <message>
        <source>Vue d&apos;ensemble</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>Le lot</source>
        <translation>The lot</translation>
    </message>
    <message>
        <source>Piéton</source>
        <translation>Pedestrian</translation>
    </message>
    <message>
        <source>Tourner autour</source>
        <translation>Orbit</translation>
    </message>
    <message>
        <source>À hauteur d&apos;yeux, depuis la voie devant le lot</source>
        <translation>At eye level, from the road in front of the lot</translation>
    </message>
    <message>
        <source>Enveloppe constructible</source>
        <translation>Buildable envelope</translation>
    </message>
    <message>
        <source>Ombres sur le plan</source>
        <translation>Shadows on the plan</translation>
    </message>
    <message>
        <source>Ensoleillement</source>
        <translation>Sunlight</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <source>Bureaux</source>
        <translation>Offices</translation>
    </message>
    <message>
        <source>Atelier</source>
        <translation>Workshop</translation>
    </message>
    <message>
        <source>Entrepôt</source>
        <translation>Warehouse</translation>
    </message>
    <message>
        <source>Commerce / showroom</source>
        <translation>Retail / showroom</translation>
    </message>
    <message>
        <source>Toit plat</source>
        <translation>Flat roof</translation>
    </message>
    <message>
        <source>Monopente</source>
        <translation>Shed roof</translation>
    </message>
    <message>
        <source>Deux pentes</source>
        <translation>Gable roof</translation>
    </message>
    <message>
        <source>Sheds</source>
        <translation>Sawtooth roof</translation>
    </message>
    <message>
        <source>Stationnement</source>
        <translation>Parking</translation>
    </message>
    <message>
        <source>Cour</source>
        <translation>Yard</translation>
    </message>
    <message>
        <source>Stockage</source>
        <translation>Storage</translation>
    </message>
    <message>
        <source>Disponible</source>
        <translation>Available</translation>
    </message>
    <message>
        <source>Réservé</source>
        <translation>Reserved</translation>
    </message>
    <message>
        <source>Vendu</source>
        <translation>Sold</translation>
    </message>
    <message>
        <source>Hors commercialisation</source>
        <translation>Not for sale</translation>
    </message>
    <message>
        <source>Entrepôt logistique</source>
        <translation>Logistics warehouse</translation>
    </message>
    <message>
        <source>Showroom / commerce</source>
        <translation>Showroom / retail</translation>
    </message>
    <message>
        <source>Mixte : atelier + bureaux</source>
        <translation>Mixed: workshop + offices</translation>
    </message>
</context>
<context>
    <name>TitleField</name>
    <message>
        <source>Titre</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>Titre du projet (en tête de la fiche PDF)</source>
        <translation>Project title (heading of the PDF sheet)</translation>
    </message>
</context>
</TS>
