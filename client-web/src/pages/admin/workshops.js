// "Ateliers" (every staff role): the panel's code (the workshop list and
// editor, the plan, the live console, attendance and the dataset) is loaded
// only when the panel is first opened (pages/admin/workshops-panel.js), so
// the console's own chunk stays small.
export default function workshopsPanel(ctx) {
  let impl = null;
  return {
    async load(token) {
      if (!impl) {
        const mod = await import('./workshops-panel.js');
        impl = mod.default(ctx);
      }
      if (impl.load) await impl.load(token);
    },
    render: () => impl.render(),
    leave() {
      if (impl && impl.leave) impl.leave();
    },
  };
}
