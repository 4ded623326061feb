// French typography: a no-break space before : ; ! ? and inside « ». Applied
// once to the French catalogue (at run time and when the build fills
// index.html), so the catalogue itself can use ordinary spaces.

export function frenchTypography(text) {
  return text.replace(/ ([:;!?»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
}
