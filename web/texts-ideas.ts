// Bokmål texts of ideas, idea competitions and the e-mail outbox page.

export const ti = {
  mail: {
    title: "E-post",
    intro: "Meldingene portalen har laget for utsending, de nyeste først.",
    notConfigured: "E-post er ikke satt opp: meldingene blir liggende her og sendes ikke. Sett SMTP_URL (og gjerne MAIL_FROM) for å sende dem.",
    configured: "E-post sendes gjennom SMTP-serveren i SMTP_URL. En melding som ikke kommer fram, blir prøvd igjen til serveren tar imot den.",
    none: "Ingen meldinger ennå.",
    to: "Til",
    subject: "Emne",
    created: "Laget",
    status: "Status",
    sent: (when: string) => `Sendt ${when}`,
    waiting: "Venter",
    waitingTries: (n: number) => `Venter (${n} forsøk)`,
    failed: "Avvist av serveren",
    unsent: (n: number) => `${n} ${n === 1 ? "melding venter" : "meldinger venter"} på å bli sendt.`,
  },
} as const;
