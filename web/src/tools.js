// What the page needs only once its first frame is drawn: the shared link's
// decoding, the project editor and the rule engine (jsts). Built as a classic
// script of its own, dist/editor.js, that the page runs after its first frame
// (see main.js); it hands its parts over in window.ZACVIZ_EDITOR. The modules
// both scripts use (i18n.js, dom.js, scene.js) are the page's own instances,
// reached through window.ZACVIZ_CORE (scripts/build.js), so that there is one
// language, one set of helpers and no second copy of three.js.
import { Editor, forgetStored, storedProject } from './editor.js';
import { lotFrameOf } from './faults.js';
import { emptyProject, clone } from './editing.js';
import { decodeFragment } from './share.js';
import { ProjectError, checkReach } from './project.js';

performance.mark('zacviz-tools'); // evaluated (the browser tests check it comes after the first frame)

window.ZACVIZ_EDITOR = {
  Editor, forgetStored, storedProject, emptyProject, clone, decodeFragment, ProjectError, checkReach, lotFrameOf,
};
