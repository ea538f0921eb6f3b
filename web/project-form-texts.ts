// Texts of the staff project form: what is required, the action bar, and
// short help for the domain's own words (N3, SLIK, innovasjonsmuskel, gevinst).

export const formTexts = {
  /** Stated once, above the form; the same rule the project service enforces. */
  requiredIntro: "Bare feltene merket «må fylles ut» trengs for å lagre. Resten kan dere fylle ut når dere vet mer, men jo mer dere forteller, jo lettere er det for andre å lære av prosjektet.",
  requiredIntroImitation: "Før imitasjonen kan publiseres, må dere også fortelle hva dere har tilpasset.",
  requiredMark: "må fylles ut",
  requiredToPublishMark: "må fylles ut før publisering",
  contents: "Deler av skjemaet",
  /** Progress over the parts of the form, shown in the contents list. */
  progress: (filled: number, total: number) => `${filled} av ${total} felt fylt ut`,
  sectionState: (filled: number, total: number) => `${filled} av ${total}`,
  sectionStateLabel: (filled: number, total: number) => `${filled} av ${total} felt fylt ut`,
  actions: "Lagre eller publiser",
  save: "Lagre",
  publish: "Publiser",
  unpublish: "Gjør til utkast",
  saveDraft: "Lagre som utkast",
  saveAndPublish: "Lagre og publiser",
  /** Shown by the script in the action bar once something is typed. */
  unsaved: "Du har endringer som ikke er lagret.",
  /** A refused submit: nothing was stored, and everything typed is still in the form. */
  notSaved: "Ingenting er lagret eller publisert ennå. Alt du skrev, står fortsatt i skjemaet.",
  publishedAndSaved: "Endringene er lagret, og prosjektet er publisert.",
  savedAndUnpublished: "Endringene er lagret, og prosjektet er ikke lenger offentlig.",
  rowsHint: "Tomme rader blir ikke lagret. Hver gang dere lagrer, kommer en ny tom rad.",
  addRow: (what: string) => `Legg til ${what.toLowerCase()}`,
  help: {
    phase: "Fasene følger SLIK-modellen for innovasjon i kommunene: først forstå problemet, så idé, test, skalering og til slutt drift.",
    phaseMore: "Hva betyr fasene?",
    n3Stage: "N3 står for nytt, nyttig og nyttiggjort. En løsning blir først en innovasjon når den er tatt i bruk.",
    n3More: "Hva betyr N3-stegene?",
    scale: "Innovasjonsmuskelen viser hvor stor endringen er: fra en liten forbedring i ett tjenesteområde til samskaping på tvers av sektorer.",
    benefits: "En gevinst er nytten prosjektet gir: bedre kvalitet, spart tid, lavere kostnader eller mindre klimautslipp. Planlagte gevinster er det dere regner med å oppnå. Realiserte gevinster er det dere faktisk har sett eller målt. Gevinstrealisering er arbeidet med å sørge for at de planlagte gevinstene blir virkelige.",
    adaptation: "Hva har dere endret fra originalen, og hvorfor? Dette må fylles ut før imitasjonen kan publiseres, men dere kan lagre utkastet uten.",
  },
  /** The error summary's name for a field whose label is a question. */
  adaptationShort: "Tilpasning",
} as const;
