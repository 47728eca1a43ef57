// What the patient chart and the measures pages share: SVG elements built with attributes and textContent only
// (never parsed as markup), and the words for the readings an overdue notice names.
'use strict';

window.ToxicityBoard = Object.freeze({
  svg(name, attributes, text) {
    const node = document.createElementNS('http://www.w3.org/2000/svg', name);
    for (const [key, value] of Object.entries(attributes || {})) {
      node.setAttribute(key, String(value));
    }

    if (text !== undefined) {
      node.textContent = text;
    }

    return node;
  },

  readingText: Object.freeze({
    temperature: 'temperature', hypotension: 'blood pressure', oxygen: 'oxygen', vasopressors: 'vasopressors',
    neuroScore: 'ICE or CAPD', consciousness: 'consciousness',
  }),
});
