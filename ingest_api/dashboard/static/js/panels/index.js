// Panel kinds. A pack's panel file names a kind; each kind draws into a PanelFrame and may return a
// function that removes what it drew. A new kind is one module and one line here.

import { renderFunnel } from "./funnel.js";
import { renderTimeseries } from "./timeseries.js";

const KINDS = { timeseries: renderTimeseries, funnel: renderFunnel };

export async function renderPanel(panel, frame, context) {
  const render = KINDS[panel.kind];
  if (!render) {
    frame.error(`this page cannot draw “${panel.kind}” panels`);
    return null;
  }
  return render(panel, frame, context);
}
