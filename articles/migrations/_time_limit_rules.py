"""The New York time limits the time-limits table starts with (migration 0023_time_limits).

Kept beside the migration that loads it, frozen: a later change to a rule is made in the admin (and approved),
or by a new migration, never by editing this file. Each rule was checked against its source's text in
2026 (README "Time limits" lists the sources); "checked by" names that check, not an attorney's approval.

Wording conventions (README "Articles", the short form): `statement` is the whole rule as a lowercase verb
phrase an article can put after "you must" / "usted debe"; `action`, `period`, `trigger` and `source` are
quotable on their own; `notes` are the caveats shown on /time-limits/ and to intake.
"""

ALL_WHAT = ["medical", "car", "work", "fall", "other"]
ALL_WHO = ["private", "city", "state", "federal", "port-authority", "transit"]
INJURY = ["car", "work", "fall", "other"]

# Intake's rules before this table (consultations/deadlines.py): carried over as approved by the migration.
CARRIED_OVER = {"gml-50-e", "gml-50-i", "cplr-214-a", "cplr-214-5"}
CHECKED_BY = "Website team, against the statute's text (not an attorney's approval)"


def rule(key, order, kind, starts, period, what, who, en, es, *, minor="any", death="any", url=""):
    years, months, days = period
    return {
        "key": key,
        "order": order,
        "kind": kind,
        "starts": starts,
        "period_years": years,
        "period_months": months,
        "period_days": days,
        "applies_what": what,
        "applies_who": who,
        "minor": minor,
        "death": death,
        "source_url": url,
        **{part: text for part, text in en.items()},
        **{f"{part}_es": text for part, text in es.items()},
    }


RULES = [
    rule(
        "gml-50-e", 10, "deadline", "incident", (0, 0, 90), ALL_WHAT, ["city", "transit"],
        {
            "name": "Notice of claim",
            "statement": "serve a written, sworn notice of claim on the public body within 90 days of the "
            "incident (General Municipal Law § 50-e)",
            "action": "serve a written, sworn notice of claim on the public body",
            "period": "90 days",
            "trigger": "from the day of the incident",
            "source": "General Municipal Law § 50-e",
            "notes": "Applies to a city, county, town, village, school district, public hospital (NYC Health + "
            "Hospitals) or other public corporation, and to New York City Transit and the MTA. The notice must "
            "be sworn (signed before a notary) and served, not just mailed to any office. Missing it usually "
            "ends the claim unless a court allows a late notice, which is often refused.",
        },
        {
            "name": "Aviso de reclamo (notice of claim)",
            "statement": "entregar a la entidad pública un aviso de reclamo por escrito y jurado dentro de "
            "90 días a partir del incidente (Ley General Municipal, art. 50-e)",
            "action": "entregar a la entidad pública un aviso de reclamo por escrito y jurado",
            "period": "90 días",
            "trigger": "a partir del día del incidente",
            "source": "Ley General Municipal, art. 50-e",
            "notes": "Se aplica a una ciudad, condado, pueblo, aldea, distrito escolar, hospital público (NYC "
            "Health + Hospitals) u otra corporación pública, y también a New York City Transit y a la MTA. El "
            "aviso debe estar jurado (firmado ante notario) y entregarse formalmente, no basta con enviarlo a "
            "cualquier oficina. Si no se presenta a tiempo, por lo general se pierde el reclamo, salvo que un "
            "tribunal autorice un aviso tardío, lo que a menudo se niega.",
        },
        url="https://www.nysenate.gov/legislation/laws/GMU/50-E",
    ),
    rule(
        "gml-50-e-death", 11, "deadline", "appointment", (0, 0, 90), ALL_WHAT, ["city", "transit"],
        {
            "name": "Notice of claim for a death",
            "statement": "serve the notice of claim for the death on the public body within 90 days of the "
            "appointment of the estate's representative (General Municipal Law § 50-e(1)(a))",
            "action": "serve the notice of claim for the death on the public body",
            "period": "90 days",
            "trigger": "from the appointment of the estate's representative",
            "source": "General Municipal Law § 50-e(1)(a)",
            "notes": "The family's claim for the death runs from the appointment of an administrator or "
            "executor. The person's own injury claim (pain and suffering before death) still needs a notice "
            "within 90 days of the incident.",
        },
        {
            "name": "Aviso de reclamo por una muerte",
            "statement": "entregar a la entidad pública el aviso de reclamo por la muerte dentro de 90 días a "
            "partir del nombramiento del representante del patrimonio (Ley General Municipal, art. 50-e(1)(a))",
            "action": "entregar a la entidad pública el aviso de reclamo por la muerte",
            "period": "90 días",
            "trigger": "a partir del nombramiento del representante del patrimonio",
            "source": "Ley General Municipal, art. 50-e(1)(a)",
            "notes": "El reclamo de la familia por la muerte cuenta desde el nombramiento de un administrador o "
            "albacea. El reclamo propio de la persona (su dolor y sufrimiento antes de morir) igual necesita "
            "un aviso dentro de 90 días a partir del incidente.",
        },
        death="only",
        url="https://www.nysenate.gov/legislation/laws/GMU/50-E",
    ),
    rule(
        "gml-50-e-late", 12, "deadline", "incident", (1, 0, 90), ALL_WHAT, ["city", "transit"],
        {
            "name": "Asking a court to allow a late notice of claim",
            "statement": "ask a court for permission to serve a late notice of claim before the time to sue "
            "runs out, 1 year and 90 days from the day of the incident (General Municipal Law § 50-e(5))",
            "action": "ask a court for permission to serve a late notice of claim",
            "period": "1 year and 90 days",
            "trigger": "from the day of the incident",
            "source": "General Municipal Law § 50-e(5)",
            "notes": "Only a court can allow a notice after the 90 days. It looks at whether the public body "
            "knew the facts in time, whether there is a reasonable excuse and whether the delay harmed it; "
            "many requests are refused. The court cannot allow it once the time to sue has passed.",
        },
        {
            "name": "Pedir a un tribunal que permita un aviso de reclamo tardío",
            "statement": "pedir a un tribunal permiso para entregar un aviso de reclamo tardío antes de que "
            "venza el plazo para demandar, 1 año y 90 días a partir del día del incidente (Ley General "
            "Municipal, art. 50-e(5))",
            "action": "pedir a un tribunal permiso para entregar un aviso de reclamo tardío",
            "period": "1 año y 90 días",
            "trigger": "a partir del día del incidente",
            "source": "Ley General Municipal, art. 50-e(5)",
            "notes": "Solo un tribunal puede permitir un aviso después de los 90 días. Considera si la entidad "
            "pública conoció los hechos a tiempo, si hay una excusa razonable y si la demora la perjudicó; "
            "muchas solicitudes se niegan. El tribunal no puede permitirlo una vez vencido el plazo para "
            "demandar.",
        },
        url="https://www.nysenate.gov/legislation/laws/GMU/50-E",
    ),
    rule(
        "gml-50-h", 13, "waiting", "notice", (0, 0, 30), ALL_WHAT, ["city"],
        {
            "name": "Waiting period and examination (50-h hearing)",
            "statement": "wait at least 30 days after serving the notice of claim before suing, and attend the "
            "examination if the public body demands one (General Municipal Law §§ 50-h, 50-i(1)(b))",
            "action": "wait before suing, and attend the examination if the public body demands one",
            "period": "30 days",
            "trigger": "after the notice of claim is served",
            "source": "General Municipal Law §§ 50-h, 50-i(1)(b)",
            "notes": "The public body may demand an oral (and sometimes physical) examination, usually called "
            "a 50-h hearing. Attending is a condition of suing. The waiting period never extends the time to "
            "sue.",
        },
        {
            "name": "Período de espera y examen (audiencia 50-h)",
            "statement": "esperar al menos 30 días después de entregar el aviso de reclamo antes de demandar, "
            "y asistir al examen si la entidad pública lo exige (Ley General Municipal, arts. 50-h y "
            "50-i(1)(b))",
            "action": "esperar antes de demandar, y asistir al examen si la entidad pública lo exige",
            "period": "30 días",
            "trigger": "después de entregar el aviso de reclamo",
            "source": "Ley General Municipal, arts. 50-h y 50-i(1)(b)",
            "notes": "La entidad pública puede exigir un examen oral (y a veces físico), la llamada audiencia "
            "50-h. Asistir es una condición para poder demandar. El período de espera nunca extiende el plazo "
            "para demandar.",
        },
        url="https://www.nysenate.gov/legislation/laws/GMU/50-H",
    ),
    rule(
        "gml-50-i", 14, "deadline", "incident", (1, 0, 90), ALL_WHAT, ["city"],
        {
            "name": "Lawsuit against a public body",
            "statement": "start the lawsuit against the public body within 1 year and 90 days of the incident "
            "(General Municipal Law § 50-i)",
            "action": "start the lawsuit against the public body",
            "period": "1 year and 90 days",
            "trigger": "from the day of the incident",
            "source": "General Municipal Law § 50-i",
            "notes": "A city, county, town, village, fire district or school district, and public hospitals "
            "through their own laws. The notice of claim must have been served first.",
        },
        {
            "name": "Demanda contra una entidad pública",
            "statement": "presentar la demanda contra la entidad pública dentro de 1 año y 90 días a partir "
            "del incidente (Ley General Municipal, art. 50-i)",
            "action": "presentar la demanda contra la entidad pública",
            "period": "1 año y 90 días",
            "trigger": "a partir del día del incidente",
            "source": "Ley General Municipal, art. 50-i",
            "notes": "Una ciudad, condado, pueblo, aldea, distrito de bomberos o distrito escolar, y los "
            "hospitales públicos por sus propias leyes. Antes debe haberse entregado el aviso de reclamo.",
        },
        url="https://www.nysenate.gov/legislation/laws/GMU/50-I",
    ),
    rule(
        "gml-50-i-death", 15, "deadline", "death", (2, 0, 0), ALL_WHAT, ["city"],
        {
            "name": "Wrongful-death lawsuit against a public body",
            "statement": "start the wrongful-death lawsuit against the public body within 2 years of the "
            "death (General Municipal Law § 50-i(1); EPTL § 5-4.1)",
            "action": "start the wrongful-death lawsuit against the public body",
            "period": "2 years",
            "trigger": "from the day of the death",
            "source": "General Municipal Law § 50-i(1); EPTL § 5-4.1",
            "notes": "Brought by the estate's personal representative, after a notice of claim served within "
            "90 days of the representative's appointment.",
        },
        {
            "name": "Demanda por muerte por negligencia (wrongful death) contra una entidad pública",
            "statement": "presentar la demanda por muerte por negligencia contra la entidad pública dentro de "
            "2 años a partir de la muerte (Ley General Municipal, art. 50-i(1); EPTL, art. 5-4.1)",
            "action": "presentar la demanda por muerte por negligencia contra la entidad pública",
            "period": "2 años",
            "trigger": "a partir del día de la muerte",
            "source": "Ley General Municipal, art. 50-i(1); EPTL, art. 5-4.1",
            "notes": "La presenta el representante personal del patrimonio, después de un aviso de reclamo "
            "entregado dentro de 90 días a partir de su nombramiento.",
        },
        death="only",
        url="https://www.nysenate.gov/legislation/laws/GMU/50-I",
    ),
    rule(
        "ccla-10-injury", 20, "deadline", "incident", (0, 0, 90), ALL_WHAT, ["state"],
        {
            "name": "Claim against the State (Court of Claims)",
            "statement": "file a claim in the Court of Claims and serve it on the Attorney General, or serve a "
            "written notice of intention to file a claim on the Attorney General, within 90 days of the "
            "incident (Court of Claims Act §§ 10(3), 11)",
            "action": "file the claim in the Court of Claims and serve it on the Attorney General, or serve a "
            "notice of intention on the Attorney General",
            "period": "90 days",
            "trigger": "from the day of the incident",
            "source": "Court of Claims Act §§ 10(3), 11",
            "notes": "For the State of New York as owner or driver: state hospitals (SUNY), state roads, parks, "
            "buildings and prisons, state vehicles. This is not a General Municipal Law notice of claim. "
            "Service is in person or by certified mail, return receipt requested, and counts only when the "
            "Attorney General's office receives it. Filing with the court alone is not enough.",
        },
        {
            "name": "Reclamo contra el Estado (Tribunal de Reclamaciones)",
            "statement": "presentar un reclamo ante el Tribunal de Reclamaciones (Court of Claims) y entregarlo "
            "al Fiscal General, o entregar al Fiscal General un aviso de intención de presentar un reclamo, "
            "dentro de 90 días a partir del incidente (Ley del Tribunal de Reclamaciones, arts. 10(3) y 11)",
            "action": "presentar el reclamo ante el Tribunal de Reclamaciones y entregarlo al Fiscal General, o "
            "entregar un aviso de intención al Fiscal General",
            "period": "90 días",
            "trigger": "a partir del día del incidente",
            "source": "Ley del Tribunal de Reclamaciones (Court of Claims Act), arts. 10(3) y 11",
            "notes": "Cuando el responsable es el Estado de Nueva York como dueño o conductor: hospitales "
            "estatales (SUNY), carreteras, parques, edificios y cárceles del Estado, vehículos estatales. No es "
            "un aviso de reclamo de la Ley General Municipal. La entrega es en persona o por correo "
            "certificado con acuse de recibo, y solo cuenta cuando la oficina del Fiscal General la recibe. "
            "Presentarlo solo ante el tribunal no basta.",
        },
        url="https://www.nysenate.gov/legislation/laws/CTC/10",
    ),
    rule(
        "ccla-10-injury-claim", 21, "deadline", "incident", (2, 0, 0), ALL_WHAT, ["state"],
        {
            "name": "Claim against the State after a notice of intention",
            "statement": "after a timely notice of intention, file the claim in the Court of Claims and serve "
            "it on the Attorney General within 2 years of the incident (Court of Claims Act § 10(3))",
            "action": "file the claim in the Court of Claims and serve it on the Attorney General",
            "period": "2 years",
            "trigger": "from the day of the incident",
            "source": "Court of Claims Act § 10(3)",
            "notes": "Only if a notice of intention was served on the Attorney General within the first 90 "
            "days. For harm done on purpose by a state employee the claim is due within 1 year (§ 10(3-b)).",
        },
        {
            "name": "Reclamo contra el Estado después de un aviso de intención",
            "statement": "después de un aviso de intención a tiempo, presentar el reclamo ante el Tribunal de "
            "Reclamaciones y entregarlo al Fiscal General dentro de 2 años a partir del incidente (Ley del "
            "Tribunal de Reclamaciones, art. 10(3))",
            "action": "presentar el reclamo ante el Tribunal de Reclamaciones y entregarlo al Fiscal General",
            "period": "2 años",
            "trigger": "a partir del día del incidente",
            "source": "Ley del Tribunal de Reclamaciones (Court of Claims Act), art. 10(3)",
            "notes": "Solo si se entregó un aviso de intención al Fiscal General dentro de los primeros 90 "
            "días. Si un empleado del Estado causó el daño a propósito, el reclamo vence en 1 año (art. "
            "10(3-b)).",
        },
        url="https://www.nysenate.gov/legislation/laws/CTC/10",
    ),
    rule(
        "ccla-10-death", 22, "deadline", "appointment", (0, 0, 90), ALL_WHAT, ["state"],
        {
            "name": "Claim against the State for a death",
            "statement": "file the claim for the death in the Court of Claims and serve it on the Attorney "
            "General, or serve a notice of intention on the Attorney General, within 90 days of the "
            "appointment of the estate's representative; the claim itself is due within 2 years of the death "
            "in any event (Court of Claims Act §§ 10(2), 11)",
            "action": "file the claim for the death and serve it on the Attorney General, or serve a notice of "
            "intention on the Attorney General",
            "period": "90 days",
            "trigger": "from the appointment of the estate's representative",
            "source": "Court of Claims Act §§ 10(2), 11",
            "notes": "Brought by the executor or administrator. Whatever the date of the appointment, the "
            "claim must be filed and served within 2 years of the death.",
        },
        {
            "name": "Reclamo contra el Estado por una muerte",
            "statement": "presentar el reclamo por la muerte ante el Tribunal de Reclamaciones y entregarlo al "
            "Fiscal General, o entregar un aviso de intención al Fiscal General, dentro de 90 días a partir del "
            "nombramiento del representante del patrimonio; en todo caso, el reclamo vence a los 2 años de la "
            "muerte (Ley del Tribunal de Reclamaciones, arts. 10(2) y 11)",
            "action": "presentar el reclamo por la muerte y entregarlo al Fiscal General, o entregar un aviso "
            "de intención al Fiscal General",
            "period": "90 días",
            "trigger": "a partir del nombramiento del representante del patrimonio",
            "source": "Ley del Tribunal de Reclamaciones (Court of Claims Act), arts. 10(2) y 11",
            "notes": "Lo presenta el albacea o administrador. Sea cual sea la fecha del nombramiento, el reclamo "
            "debe presentarse y entregarse dentro de 2 años a partir de la muerte.",
        },
        death="only",
        url="https://www.nysenate.gov/legislation/laws/CTC/10",
    ),
    rule(
        "ftca", 30, "deadline", "incident", (2, 0, 0), ALL_WHAT, ["federal"],
        {
            "name": "Claim against the federal government (FTCA)",
            "statement": "present a written claim (Standard Form 95) to the federal agency within 2 years of "
            "the injury (28 U.S.C. § 2401(b))",
            "action": "present a written claim (Standard Form 95) to the federal agency",
            "period": "2 years",
            "trigger": "from the injury",
            "source": "28 U.S.C. § 2401(b); 42 U.S.C. § 233(g)",
            "notes": "VA hospitals, federal employees and drivers, and federally funded community health "
            "centers, whose doctors count as federal employees (42 U.S.C. § 233(g)) although the center may "
            "look private. A child's age does not pause this deadline. No lawsuit may be filed before the "
            "claim is presented.",
        },
        {
            "name": "Reclamo contra el gobierno federal (FTCA)",
            "statement": "presentar un reclamo por escrito (formulario estándar 95) a la agencia federal dentro "
            "de 2 años a partir de la lesión (28 U.S.C. § 2401(b))",
            "action": "presentar un reclamo por escrito (formulario estándar 95) a la agencia federal",
            "period": "2 años",
            "trigger": "a partir de la lesión",
            "source": "28 U.S.C. § 2401(b); 42 U.S.C. § 233(g)",
            "notes": "Hospitales de veteranos (VA), empleados y conductores federales, y centros de salud "
            "comunitarios con fondos federales, cuyos médicos cuentan como empleados federales (42 U.S.C. "
            "§ 233(g)) aunque el centro parezca privado. La edad de un niño no suspende este plazo. No se puede "
            "demandar antes de presentar el reclamo.",
        },
        url="https://www.law.cornell.edu/uscode/text/28/2401",
    ),
    rule(
        "ftca-suit", 31, "deadline", "denial", (0, 6, 0), ALL_WHAT, ["federal"],
        {
            "name": "Lawsuit after the federal agency denies the claim",
            "statement": "start the lawsuit in federal court within 6 months of the agency's written denial "
            "(28 U.S.C. § 2401(b))",
            "action": "start the lawsuit in federal court",
            "period": "6 months",
            "trigger": "from the date the agency mails its written denial",
            "source": "28 U.S.C. § 2401(b)",
            "notes": "If the agency has not decided within 6 months of the claim, the claimant may treat "
            "that as a denial (28 U.S.C. § 2675(a)).",
        },
        {
            "name": "Demanda después de que la agencia federal niega el reclamo",
            "statement": "presentar la demanda en el tribunal federal dentro de 6 meses a partir de la negativa "
            "por escrito de la agencia (28 U.S.C. § 2401(b))",
            "action": "presentar la demanda en el tribunal federal",
            "period": "6 meses",
            "trigger": "a partir de la fecha en que la agencia envía su negativa por escrito",
            "source": "28 U.S.C. § 2401(b)",
            "notes": "Si la agencia no decide dentro de 6 meses a partir del reclamo, el reclamante puede "
            "tratarlo como una negativa (28 U.S.C. § 2675(a)).",
        },
        url="https://www.law.cornell.edu/uscode/text/28/2401",
    ),
    rule(
        "port-authority-notice", 40, "deadline", "incident", (1, 0, -60), ALL_WHAT, ["port-authority"],
        {
            "name": "Notice of claim to the Port Authority",
            "statement": "serve a notice of claim on the Port Authority at least 60 days before suing, so no "
            "later than 60 days before the 1-year deadline to sue (McKinney's Unconsolidated Laws § 7108)",
            "action": "serve a notice of claim on the Port Authority",
            "period": "at least 60 days before suing",
            "trigger": "counted back from the last day to sue",
            "source": "McKinney's Unconsolidated Laws §§ 7107, 7108",
            "notes": "The Port Authority of New York and New Jersey runs JFK, LaGuardia and Newark airports, "
            "PATH, the Port Authority Bus Terminal and its bridges and tunnels. New York's general notice-of-"
            "claim rules do not apply to it.",
        },
        {
            "name": "Aviso de reclamo a la Autoridad Portuaria",
            "statement": "entregar un aviso de reclamo a la Autoridad Portuaria al menos 60 días antes de "
            "demandar, es decir, a más tardar 60 días antes del plazo de 1 año para demandar (Leyes no "
            "consolidadas de McKinney, art. 7108)",
            "action": "entregar un aviso de reclamo a la Autoridad Portuaria",
            "period": "al menos 60 días antes de demandar",
            "trigger": "contados hacia atrás desde el último día para demandar",
            "source": "Leyes no consolidadas de McKinney, arts. 7107 y 7108",
            "notes": "La Autoridad Portuaria de Nueva York y Nueva Jersey opera los aeropuertos JFK, LaGuardia "
            "y Newark, el PATH, la terminal de autobuses de la Autoridad Portuaria y sus puentes y túneles. "
            "Las reglas generales de Nueva York sobre el aviso de reclamo no se le aplican.",
        },
    ),
    rule(
        "port-authority", 41, "deadline", "incident", (1, 0, 0), ALL_WHAT, ["port-authority"],
        {
            "name": "Lawsuit against the Port Authority",
            "statement": "start the lawsuit against the Port Authority within 1 year of the incident, after a "
            "notice of claim served at least 60 days before (McKinney's Unconsolidated Laws §§ 7107, 7108)",
            "action": "start the lawsuit against the Port Authority",
            "period": "1 year",
            "trigger": "from the day of the incident",
            "source": "McKinney's Unconsolidated Laws §§ 7107, 7108",
            "notes": "A condition of the Port Authority's consent to be sued: a late suit is dismissed. The "
            "longer periods for other public authorities do not extend it.",
        },
        {
            "name": "Demanda contra la Autoridad Portuaria",
            "statement": "presentar la demanda contra la Autoridad Portuaria dentro de 1 año a partir del "
            "incidente, después de un aviso de reclamo entregado al menos 60 días antes (Leyes no "
            "consolidadas de McKinney, arts. 7107 y 7108)",
            "action": "presentar la demanda contra la Autoridad Portuaria",
            "period": "1 año",
            "trigger": "a partir del día del incidente",
            "source": "Leyes no consolidadas de McKinney, arts. 7107 y 7108",
            "notes": "Es una condición para que la Autoridad Portuaria acepte ser demandada: una demanda tardía "
            "se desestima. Los plazos más largos de otras autoridades públicas no lo extienden.",
        },
    ),
    rule(
        "nyct-1212", 50, "deadline", "incident", (1, 0, 90), ALL_WHAT, ["transit"],
        {
            "name": "Lawsuit against New York City Transit",
            "statement": "serve a notice of claim on New York City Transit within 90 days of the incident, as "
            "General Municipal Law § 50-e requires, and start the lawsuit within 1 year and 90 days (Public "
            "Authorities Law § 1212)",
            "action": "start the lawsuit against New York City Transit",
            "period": "1 year and 90 days",
            "trigger": "from the day of the incident",
            "source": "Public Authorities Law § 1212",
            "notes": "Subways and city buses. The complaint must say at least 30 days passed after the claim "
            "was presented without payment. A claim for a death follows the public authorities' own "
            "wrongful-death rules (Public Authorities Law, article 9, title 11).",
        },
        {
            "name": "Demanda contra New York City Transit",
            "statement": "entregar un aviso de reclamo a New York City Transit dentro de 90 días a partir del "
            "incidente, como exige la Ley General Municipal, art. 50-e, y presentar la demanda dentro de 1 año "
            "y 90 días (Ley de Autoridades Públicas, art. 1212)",
            "action": "presentar la demanda contra New York City Transit",
            "period": "1 año y 90 días",
            "trigger": "a partir del día del incidente",
            "source": "Ley de Autoridades Públicas (Public Authorities Law), art. 1212",
            "notes": "El metro y los autobuses de la ciudad. La demanda debe decir que pasaron al menos 30 días "
            "desde que se presentó el reclamo sin que se pagara. Un reclamo por una muerte sigue las reglas "
            "propias de las autoridades públicas (Ley de Autoridades Públicas, artículo 9, título 11).",
        },
        url="https://www.nysenate.gov/legislation/laws/PBA/1212",
    ),
    rule(
        "mta-1276", 51, "deadline", "incident", (1, 0, 90), ALL_WHAT, ["transit"],
        {
            "name": "Lawsuit against the MTA",
            "statement": "serve a notice of claim on the Metropolitan Transportation Authority within 90 days "
            "of the incident, as General Municipal Law § 50-e requires, and start the lawsuit within 1 year and "
            "90 days (Public Authorities Law § 1276)",
            "action": "start the lawsuit against the MTA",
            "period": "1 year and 90 days",
            "trigger": "from the day of the incident",
            "source": "Public Authorities Law § 1276",
            "notes": "The LIRR, Metro-North and MTA Bus. The complaint must say at least 30 days passed after "
            "the claim was presented. A claim for a death follows the public authorities' own wrongful-death "
            "rules (Public Authorities Law, article 9, title 11).",
        },
        {
            "name": "Demanda contra la MTA",
            "statement": "entregar un aviso de reclamo a la Autoridad Metropolitana de Transporte (MTA) dentro "
            "de 90 días a partir del incidente, como exige la Ley General Municipal, art. 50-e, y presentar la "
            "demanda dentro de 1 año y 90 días (Ley de Autoridades Públicas, art. 1276)",
            "action": "presentar la demanda contra la MTA",
            "period": "1 año y 90 días",
            "trigger": "a partir del día del incidente",
            "source": "Ley de Autoridades Públicas (Public Authorities Law), art. 1276",
            "notes": "El LIRR, Metro-North y MTA Bus. La demanda debe decir que pasaron al menos 30 días desde "
            "que se presentó el reclamo. Un reclamo por una muerte sigue las reglas propias de las autoridades "
            "públicas (Ley de Autoridades Públicas, artículo 9, título 11).",
        },
        url="https://www.nysenate.gov/legislation/laws/PBA/1276",
    ),
    rule(
        "cplr-214-5", 60, "deadline", "incident", (3, 0, 0), INJURY, ["private"],
        {
            "name": "Injury caused by negligence",
            "statement": "start the lawsuit within 3 years of the incident (CPLR 214(5))",
            "action": "start the lawsuit",
            "period": "3 years",
            "trigger": "from the day of the incident",
            "source": "CPLR 214(5)",
            "notes": "A private person or company: a driver, a property owner or landlord, a store, a "
            "contractor. A public body, the State, the Port Authority or a federal agency has much shorter "
            "steps.",
        },
        {
            "name": "Lesión causada por negligencia",
            "statement": "presentar la demanda dentro de 3 años a partir del incidente (CPLR 214(5))",
            "action": "presentar la demanda",
            "period": "3 años",
            "trigger": "a partir del día del incidente",
            "source": "CPLR 214(5)",
            "notes": "Una persona o empresa privada: un conductor, el dueño o arrendador de una propiedad, una "
            "tienda, un contratista. Una entidad pública, el Estado, la Autoridad Portuaria o una agencia "
            "federal tienen pasos mucho más cortos.",
        },
        url="https://www.nysenate.gov/legislation/laws/CVP/214",
    ),
    rule(
        "cplr-214-a", 61, "deadline", "incident", (2, 6, 0), ["medical"], ["private"],
        {
            "name": "Medical malpractice",
            "statement": "start the lawsuit within 2 years and 6 months of the act of malpractice, or of the "
            "last treatment when treatment for the same condition continued (CPLR 214-a)",
            "action": "start the lawsuit",
            "period": "2 years and 6 months",
            "trigger": "from the act of malpractice, or from the last treatment when treatment for the same "
            "condition continued",
            "source": "CPLR 214-a",
            "notes": "Whether treatment was \"continuous\" is often disputed: count from the date of the error "
            "to be safe. Check-ups the patient asks for do not count as continuous treatment.",
        },
        {
            "name": "Negligencia médica",
            "statement": "presentar la demanda dentro de 2 años y 6 meses a partir del acto de negligencia, o "
            "del último tratamiento si el tratamiento por la misma afección continuó (CPLR 214-a)",
            "action": "presentar la demanda",
            "period": "2 años y 6 meses",
            "trigger": "a partir del acto de negligencia, o del último tratamiento si el tratamiento por la "
            "misma afección continuó",
            "source": "CPLR 214-a",
            "notes": "Que el tratamiento haya sido \"continuo\" suele discutirse: para estar seguro, cuente "
            "desde la fecha del error. Los chequeos que pide el paciente no cuentan como tratamiento continuo.",
        },
        url="https://www.nysenate.gov/legislation/laws/CVP/214-A",
    ),
    rule(
        "cplr-214-a-foreign-object", 62, "deadline", "discovery", (1, 0, 0), ["medical"], ["private"],
        {
            "name": "Object left in the body",
            "statement": "start the lawsuit within 1 year of discovering an object left in the body, or of "
            "learning facts that would reasonably lead to discovering it, if that is later than the usual "
            "2 years and 6 months (CPLR 214-a(a))",
            "action": "start the lawsuit",
            "period": "1 year",
            "trigger": "from the discovery of the object, or of facts that would reasonably lead to it, "
            "whichever is earlier",
            "source": "CPLR 214-a(a)",
            "notes": "A sponge or instrument, for example. Chemical compounds, fixation devices and prosthetic "
            "devices do not count as foreign objects.",
        },
        {
            "name": "Objeto olvidado en el cuerpo",
            "statement": "presentar la demanda dentro de 1 año a partir del descubrimiento de un objeto "
            "olvidado en el cuerpo, o de hechos que razonablemente llevarían a descubrirlo, si eso es más "
            "tarde que los 2 años y 6 meses habituales (CPLR 214-a(a))",
            "action": "presentar la demanda",
            "period": "1 año",
            "trigger": "a partir del descubrimiento del objeto, o de hechos que razonablemente llevarían a "
            "descubrirlo, lo que ocurra primero",
            "source": "CPLR 214-a(a)",
            "notes": "Una gasa o un instrumento, por ejemplo. Los compuestos químicos, los dispositivos de "
            "fijación y las prótesis no cuentan como objetos extraños.",
        },
        url="https://www.nysenate.gov/legislation/laws/CVP/214-A",
    ),
    rule(
        "cplr-214-a-cancer", 63, "deadline", "discovery", (2, 6, 0), ["medical"], ["private"],
        {
            "name": "Missed cancer diagnosis (Lavern's Law)",
            "statement": "start the lawsuit within 2 years and 6 months of when the patient knew, or should "
            "have known, of the missed cancer diagnosis and the harm it caused, and never more than 7 years "
            "after it (CPLR 214-a(b))",
            "action": "start the lawsuit",
            "period": "2 years and 6 months",
            "trigger": "from when the patient knew or should have known of the error and the harm, at most "
            "7 years after the error",
            "source": "CPLR 214-a(b)",
            "notes": "Only for a negligent failure to diagnose cancer or a malignant tumor. The 7 years run "
            "from the missed diagnosis itself.",
        },
        {
            "name": "Cáncer no diagnosticado (Ley de Lavern)",
            "statement": "presentar la demanda dentro de 2 años y 6 meses a partir de cuando el paciente supo, "
            "o debió saber, del cáncer no diagnosticado y del daño que causó, y nunca más de 7 años después del "
            "error (CPLR 214-a(b))",
            "action": "presentar la demanda",
            "period": "2 años y 6 meses",
            "trigger": "a partir de cuando el paciente supo o debió saber del error y del daño, como máximo "
            "7 años después del error",
            "source": "CPLR 214-a(b)",
            "notes": "Solo cuando no se diagnosticó por negligencia un cáncer o un tumor maligno. Los 7 años "
            "cuentan desde el diagnóstico que no se hizo.",
        },
        url="https://www.nysenate.gov/legislation/laws/CVP/214-A",
    ),
    rule(
        "cplr-215-3", 64, "deadline", "incident", (1, 0, 0), ["other"], ["private"],
        {
            "name": "Harm done on purpose (assault, battery)",
            "statement": "start the lawsuit for assault, battery or false imprisonment within 1 year of the "
            "incident (CPLR 215(3))",
            "action": "start the lawsuit for assault, battery or false imprisonment",
            "period": "1 year",
            "trigger": "from the day of the incident",
            "source": "CPLR 215(3)",
            "notes": "When a criminal case is brought against the same person, there is at least 1 year from "
            "its end (CPLR 215(8)). A claim that a business's negligence allowed the attack usually has the "
            "3-year negligence limit.",
        },
        {
            "name": "Daño causado a propósito (agresión)",
            "statement": "presentar la demanda por agresión, lesiones o detención ilegal dentro de 1 año a "
            "partir del incidente (CPLR 215(3))",
            "action": "presentar la demanda por agresión, lesiones o detención ilegal",
            "period": "1 año",
            "trigger": "a partir del día del incidente",
            "source": "CPLR 215(3)",
            "notes": "Si hay un caso penal contra la misma persona, hay al menos 1 año desde que termina (CPLR "
            "215(8)). Un reclamo porque la negligencia de un negocio permitió el ataque suele tener el plazo de "
            "3 años por negligencia.",
        },
        url="https://www.nysenate.gov/legislation/laws/CVP/215",
    ),
    rule(
        "cplr-208", 70, "caveat", "birthday", (0, 0, 0), ALL_WHAT, ["private", "city", "state"],
        {
            "name": "A child's time to sue",
            "statement": "for a child, the time to sue is paused until the 18th birthday, but never beyond "
            "10 years after malpractice, and notices of claim and federal claims are not paused (CPLR 208)",
            "action": "start the lawsuit",
            "period": "paused until the 18th birthday",
            "trigger": "from the 18th birthday",
            "source": "CPLR 208",
            "notes": "This pause does not apply to a notice of claim (a late-notice request is the remedy), "
            "to the Court of Claims' 90-day step, to the Port Authority or to federal claims. Parents' own "
            "claims (medical bills, loss of services) are not paused. Act early anyway: evidence fades.",
        },
        {
            "name": "El plazo de un niño para demandar",
            "statement": "para un niño, el plazo para demandar se suspende hasta que cumpla 18 años, pero "
            "nunca más de 10 años después de la negligencia médica, y los avisos de reclamo y los reclamos "
            "federales no se suspenden (CPLR 208)",
            "action": "presentar la demanda",
            "period": "se suspende hasta que cumpla 18 años",
            "trigger": "a partir de los 18 años",
            "source": "CPLR 208",
            "notes": "Esta suspensión no se aplica al aviso de reclamo (el remedio es pedir un aviso tardío), "
            "al paso de 90 días del Tribunal de Reclamaciones, a la Autoridad Portuaria ni a los reclamos "
            "federales. Los reclamos propios de los padres (gastos médicos, pérdida de servicios) no se "
            "suspenden. Conviene actuar pronto de todos modos: las pruebas se pierden.",
        },
        minor="only",
        url="https://www.nysenate.gov/legislation/laws/CVP/208",
    ),
    rule(
        "cplr-3012-a", 71, "caveat", "complaint", (0, 0, 90), ["medical"], ["private", "city"],
        {
            "name": "Certificate of merit when time is short",
            "statement": "when the time to sue is about to run out, file the malpractice lawsuit on time; the "
            "lawyer's certificate of merit may follow within 90 days after the complaint is served "
            "(CPLR 3012-a(a)(2))",
            "action": "file the certificate of merit",
            "period": "90 days",
            "trigger": "after the complaint is served",
            "source": "CPLR 3012-a(a)(2)",
            "notes": "A lawyer must normally consult a doctor and certify the case has a reasonable basis "
            "before suing. Waiting for that review is never a reason to miss the deadline to sue.",
        },
        {
            "name": "Certificado de mérito cuando queda poco tiempo",
            "statement": "si el plazo para demandar está por vencer, presentar la demanda por negligencia "
            "médica a tiempo; el certificado de mérito del abogado puede presentarse dentro de 90 días después "
            "de entregar la demanda (CPLR 3012-a(a)(2))",
            "action": "presentar el certificado de mérito",
            "period": "90 días",
            "trigger": "después de entregar la demanda",
            "source": "CPLR 3012-a(a)(2)",
            "notes": "Por lo general, el abogado debe consultar a un médico y certificar que el caso tiene una "
            "base razonable antes de demandar. Esperar esa revisión nunca justifica dejar vencer el plazo "
            "para demandar.",
        },
        url="https://www.nysenate.gov/legislation/laws/CVP/3012-A",
    ),
    rule(
        "eptl-5-4-1", 80, "deadline", "death", (2, 0, 0), ALL_WHAT, ["private"],
        {
            "name": "Wrongful death",
            "statement": "have the estate's personal representative start the wrongful-death lawsuit within "
            "2 years of the death (EPTL § 5-4.1)",
            "action": "have the estate's personal representative start the wrongful-death lawsuit",
            "period": "2 years",
            "trigger": "from the day of the death",
            "source": "EPTL § 5-4.1",
            "notes": "The family's claim for the death. Only an executor or administrator appointed by a court "
            "can bring it, so ask the Surrogate's Court early. If a criminal case is brought against the same "
            "person, there is at least 1 year from its end.",
        },
        {
            "name": "Muerte por negligencia (wrongful death)",
            "statement": "que el representante personal del patrimonio presente la demanda por muerte por "
            "negligencia dentro de 2 años a partir de la muerte (EPTL, art. 5-4.1)",
            "action": "que el representante personal del patrimonio presente la demanda por muerte por "
            "negligencia",
            "period": "2 años",
            "trigger": "a partir del día de la muerte",
            "source": "EPTL, art. 5-4.1",
            "notes": "Es el reclamo de la familia por la muerte. Solo puede presentarlo un albacea o "
            "administrador nombrado por un tribunal, así que conviene acudir pronto al Tribunal Testamentario "
            "(Surrogate's Court). Si hay un caso penal contra la misma persona, hay al menos 1 año desde que "
            "termina.",
        },
        death="only",
        url="https://www.nysenate.gov/legislation/laws/EPT/5-4.1",
    ),
    rule(
        "eptl-11-3-2", 81, "caveat", "death", (1, 0, 0), ALL_WHAT, ["private"],
        {
            "name": "The person's own claim after a death (survival claim)",
            "statement": "for the person's own claim (their pain and suffering before death), keep to their "
            "own time limit, but if they died before it ran out the estate has at least 1 year from the death "
            "(EPTL § 11-3.2; CPLR 210(a))",
            "action": "start the lawsuit for the person's own claim",
            "period": "1 year",
            "trigger": "from the day of the death, if the person's own limit had not yet run out",
            "source": "EPTL § 11-3.2; CPLR 210(a)",
            "notes": "Brought by the estate's representative together with the wrongful-death claim. The "
            "person's own limit (for example 3 years for negligence) applies when it ends later.",
        },
        {
            "name": "El reclamo propio de la persona después de su muerte",
            "statement": "para el reclamo propio de la persona (su dolor y sufrimiento antes de morir), respetar "
            "su propio plazo, pero si murió antes de que venciera, el patrimonio tiene al menos 1 año a partir "
            "de la muerte (EPTL, art. 11-3.2; CPLR 210(a))",
            "action": "presentar la demanda por el reclamo propio de la persona",
            "period": "1 año",
            "trigger": "a partir del día de la muerte, si el plazo propio de la persona no había vencido",
            "source": "EPTL, art. 11-3.2; CPLR 210(a)",
            "notes": "Lo presenta el representante del patrimonio junto con el reclamo por muerte por "
            "negligencia. Se aplica el plazo propio de la persona (por ejemplo, 3 años por negligencia) "
            "cuando termina más tarde.",
        },
        death="only",
        url="https://www.nysenate.gov/legislation/laws/CVP/210",
    ),
    rule(
        "no-fault-30", 90, "deadline", "incident", (0, 0, 30), ["car"], ALL_WHO,
        {
            "name": "No-fault application",
            "statement": "send the no-fault insurer a written application (form NF-2) within 30 days of the "
            "accident (11 NYCRR 65-1.1)",
            "action": "send the no-fault insurer a written application (form NF-2)",
            "period": "30 days",
            "trigger": "from the day of the accident",
            "source": "11 NYCRR 65-1.1",
            "notes": "No-fault pays medical bills and lost wages whoever caused the crash. A late application "
            "needs a written, reasonable excuse. Pedestrians and cyclists usually claim from their own "
            "household's car insurance first, or from the insurer of the car that hit them.",
        },
        {
            "name": "Solicitud de no-fault",
            "statement": "enviar a la aseguradora de no-fault una solicitud por escrito (formulario NF-2) "
            "dentro de 30 días a partir del accidente (11 NYCRR 65-1.1)",
            "action": "enviar a la aseguradora de no-fault una solicitud por escrito (formulario NF-2)",
            "period": "30 días",
            "trigger": "a partir del día del accidente",
            "source": "11 NYCRR 65-1.1",
            "notes": "El seguro no-fault paga gastos médicos y salarios perdidos sin importar quién causó el "
            "choque. Una solicitud tardía necesita una excusa razonable por escrito. Los peatones y ciclistas "
            "suelen reclamar primero al seguro de auto de su propio hogar, o a la aseguradora del auto que los "
            "atropelló.",
        },
        url="https://regulations.justia.com/states/new-york/title-11/chapter-iii/subchapter-b/part-65/subpart-65-1/section-65-1-1",
    ),
    rule(
        "no-fault-bills-45", 91, "deadline", "treatment", (0, 0, 45), ["car"], ALL_WHO,
        {
            "name": "Medical bills to the no-fault insurer",
            "statement": "have medical bills sent to the no-fault insurer within 45 days of each treatment "
            "(11 NYCRR 65-1.1)",
            "action": "have medical bills sent to the no-fault insurer",
            "period": "45 days",
            "trigger": "from each treatment or service",
            "source": "11 NYCRR 65-1.1",
            "notes": "Doctors and hospitals usually send them; check that they have the claim number.",
        },
        {
            "name": "Facturas médicas a la aseguradora de no-fault",
            "statement": "lograr que las facturas médicas lleguen a la aseguradora de no-fault dentro de 45 días "
            "a partir de cada tratamiento (11 NYCRR 65-1.1)",
            "action": "lograr que las facturas médicas lleguen a la aseguradora de no-fault",
            "period": "45 días",
            "trigger": "a partir de cada tratamiento o servicio",
            "source": "11 NYCRR 65-1.1",
            "notes": "Por lo general las envían los médicos y hospitales; confirme que tengan el número de "
            "reclamo.",
        },
    ),
    rule(
        "mvaic-police", 92, "deadline", "incident", (0, 0, 1), ["car"], ["private"],
        {
            "name": "Hit-and-run: report to the police",
            "statement": "report a hit-and-run to the police within 24 hours (Insurance Law § 5208(a)(2))",
            "action": "report the hit-and-run to the police",
            "period": "24 hours",
            "trigger": "from the accident",
            "source": "Insurance Law § 5208(a)(2)",
            "notes": "Needed for a claim to the Motor Vehicle Accident Indemnification Corporation (MVAIC) when "
            "the driver cannot be identified. A report made as soon as reasonably possible may be accepted.",
        },
        {
            "name": "Conductor que se da a la fuga: avisar a la policía",
            "statement": "denunciar a la policía un choque en el que el conductor se dio a la fuga dentro de 24 "
            "horas (Ley de Seguros, art. 5208(a)(2))",
            "action": "denunciar el choque a la policía",
            "period": "24 horas",
            "trigger": "a partir del accidente",
            "source": "Ley de Seguros (Insurance Law), art. 5208(a)(2)",
            "notes": "Es necesario para reclamar a la Corporación de Indemnización por Accidentes de Vehículos "
            "(MVAIC) cuando no se puede identificar al conductor. Un aviso hecho tan pronto como fue "
            "razonablemente posible puede aceptarse.",
        },
    ),
    rule(
        "mvaic", 93, "deadline", "incident", (0, 0, 90), ["car"], ["private"],
        {
            "name": "Hit-and-run: notice to MVAIC",
            "statement": "file a sworn notice of claim with MVAIC within 90 days of a hit-and-run accident "
            "(Insurance Law § 5208(a)(2))",
            "action": "file a sworn notice of claim with MVAIC",
            "period": "90 days",
            "trigger": "from the day of the accident",
            "source": "Insurance Law § 5208",
            "notes": "For someone with no car insurance in the household when the driver cannot be identified "
            "(for a known driver with no insurance, see the uninsured-driver notice). With your own car insurance, "
            "tell your insurer promptly instead: its uninsured-motorist coverage applies.",
        },
        {
            "name": "Conductor que se da a la fuga: aviso a MVAIC",
            "statement": "presentar a MVAIC un aviso de reclamo jurado dentro de 90 días a partir de un "
            "accidente en el que el conductor se dio a la fuga (Ley de Seguros, art. 5208(a)(2))",
            "action": "presentar a MVAIC un aviso de reclamo jurado",
            "period": "90 días",
            "trigger": "a partir del día del accidente",
            "source": "Ley de Seguros (Insurance Law), art. 5208",
            "notes": "Para quien no tiene seguro de auto en su hogar cuando no se puede identificar al "
            "conductor (si el conductor se conoce pero no tiene seguro, vea el aviso por conductor sin seguro). "
            "Si usted tiene seguro de auto, avise pronto a su aseguradora: se aplica su cobertura por conductor "
            "sin seguro.",
        },
    ),
    rule(
        "mvaic-uninsured", 94, "deadline", "incident", (0, 0, 180), ["car"], ["private"],
        {
            "name": "Uninsured driver: notice to MVAIC",
            "statement": "file a sworn notice of claim with MVAIC within 180 days of an accident caused by an "
            "identified driver who had no insurance (Insurance Law § 5208(a)(1))",
            "action": "file a sworn notice of claim with MVAIC",
            "period": "180 days",
            "trigger": "from the day of the accident",
            "source": "Insurance Law § 5208(a)(1)",
            "notes": "For someone with no car insurance in the household. With your own car insurance, tell your "
            "insurer promptly instead: its uninsured-motorist coverage applies.",
        },
        {
            "name": "Conductor sin seguro: aviso a MVAIC",
            "statement": "presentar a MVAIC un aviso de reclamo jurado dentro de 180 días a partir de un "
            "accidente causado por un conductor identificado que no tenía seguro (Ley de Seguros, art. "
            "5208(a)(1))",
            "action": "presentar a MVAIC un aviso de reclamo jurado",
            "period": "180 días",
            "trigger": "a partir del día del accidente",
            "source": "Ley de Seguros (Insurance Law), art. 5208(a)(1)",
            "notes": "Para quien no tiene seguro de auto en su hogar. Si usted tiene seguro de auto, avise pronto "
            "a su aseguradora: se aplica su cobertura por conductor sin seguro.",
        },
    ),
    rule(
        "wcl-18", 100, "deadline", "incident", (0, 0, 30), ["work"], ALL_WHO,
        {
            "name": "Workers' compensation: notice to the employer",
            "statement": "give the employer written notice of the injury within 30 days of the accident "
            "(Workers' Compensation Law § 18)",
            "action": "give the employer written notice of the injury",
            "period": "30 days",
            "trigger": "from the day of the accident",
            "source": "Workers' Compensation Law § 18",
            "notes": "In writing, saying when, where and how it happened. The Board may excuse a late notice "
            "(for example when a supervisor knew), but do not count on it.",
        },
        {
            "name": "Compensación laboral: aviso al empleador",
            "statement": "avisar por escrito al empleador sobre la lesión dentro de 30 días a partir del "
            "accidente (Ley de Compensación Laboral, art. 18)",
            "action": "avisar por escrito al empleador sobre la lesión",
            "period": "30 días",
            "trigger": "a partir del día del accidente",
            "source": "Ley de Compensación Laboral (Workers' Compensation Law), art. 18",
            "notes": "Por escrito, diciendo cuándo, dónde y cómo ocurrió. La Junta puede excusar un aviso "
            "tardío (por ejemplo, si un supervisor lo sabía), pero no cuente con eso.",
        },
        url="https://www.nysenate.gov/legislation/laws/WKC/18",
    ),
    rule(
        "wcl-28", 101, "deadline", "incident", (2, 0, 0), ["work"], ALL_WHO,
        {
            "name": "Workers' compensation: claim to the Board",
            "statement": "file a claim with the Workers' Compensation Board within 2 years of the accident "
            "(Workers' Compensation Law § 28)",
            "action": "file a claim with the Workers' Compensation Board",
            "period": "2 years",
            "trigger": "from the day of the accident, or for a work-related illness from when you knew or "
            "should have known it came from work",
            "source": "Workers' Compensation Law § 28",
            "notes": "Form C-3. For a death, within 2 years of the death. A claim against someone other than "
            "the employer (a property owner or contractor on a building site) has its own, separate limit.",
        },
        {
            "name": "Compensación laboral: reclamo a la Junta",
            "statement": "presentar un reclamo ante la Junta de Compensación Laboral dentro de 2 años a partir "
            "del accidente (Ley de Compensación Laboral, art. 28)",
            "action": "presentar un reclamo ante la Junta de Compensación Laboral",
            "period": "2 años",
            "trigger": "a partir del día del accidente o, en una enfermedad laboral, desde que supo o debió "
            "saber que venía del trabajo",
            "source": "Ley de Compensación Laboral (Workers' Compensation Law), art. 28",
            "notes": "Formulario C-3. En caso de muerte, dentro de 2 años a partir de la muerte. Un reclamo "
            "contra alguien que no es el empleador (el dueño de una obra o un contratista) tiene su propio "
            "plazo, aparte.",
        },
        url="https://www.nysenate.gov/legislation/laws/WKC/28",
    ),
]


TEXT_PARTS = ("name", "statement", "action", "period", "trigger", "source", "notes")
CHECKED_ON = "2026-12-05"
CARRIED_OVER_NOTE = (
    "Carried over by migration 0022 from the deadline rules intake used before the time-limits table "
    "(consultations/deadlines.py); not signed off anew by an attorney."
)


def snapshot(values: dict) -> dict:
    """What an approval covers, in the shape of TimeLimitRule.snapshot() (frozen here for the migration)."""
    return {
        "key": values["key"],
        "order": values["order"],
        "kind": values["kind"],
        "starts": values["starts"],
        "period": [values["period_years"], values["period_months"], values["period_days"]],
        "what": sorted(values["applies_what"]),
        "who": sorted(values["applies_who"]),
        "minor": values["minor"],
        "death": values["death"],
        "source_url": values["source_url"],
        "text": {
            "en": {part: values[part] for part in TEXT_PARTS},
            "es": {part: values[f"{part}_es"] for part in TEXT_PARTS},
        },
    }


def seed_rules(apps, schema_editor=None):
    """Creates the rules that are missing (by key); never changes an existing one. The rules intake used
    before are carried over as approved, labelled so; the others wait for an attorney's approval."""
    import hashlib
    import json
    from datetime import date

    from django.utils import timezone

    TimeLimitRule = apps.get_model("articles", "TimeLimitRule")
    existing = set(TimeLimitRule.objects.values_list("key", flat=True))
    for values in RULES:
        if values["key"] in existing:
            continue
        shot = snapshot(values)
        digest = hashlib.sha256(json.dumps(shot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        approved = values["key"] in CARRIED_OVER
        fields = {field.name for field in TimeLimitRule._meta.get_fields()}
        if "approved_text" in fields:  # the table as migration 0023 made it
            TimeLimitRule.objects.create(
                **values,
                last_checked_by=CHECKED_BY,
                last_checked_on=date.fromisoformat(CHECKED_ON),
                content_hash=digest,
                approved_text=shot if approved else None,
                approved_hash=digest if approved else "",
                approved_at=timezone.now() if approved else None,
                approval_note=CARRIED_OVER_NOTE if approved else "",
            )
            continue
        # Since migration 0025 the row is the approved rule and the approval a generic record.
        row = TimeLimitRule.objects.create(
            **values,
            last_checked_by=CHECKED_BY,
            last_checked_on=date.fromisoformat(CHECKED_ON),
            content_hash=digest,
        )
        if approved:
            Approval = apps.get_model("articles", "Approval")
            ContentType = apps.get_model("contenttypes", "ContentType")
            rule_type, _ = ContentType.objects.get_or_create(app_label="articles", model="timelimitrule")
            approval = Approval.objects.create(
                content_type_id=rule_type.pk,
                object_id=row.pk,
                approver_name="approved at upgrade",
                content_hash=digest,
                note=CARRIED_OVER_NOTE,
                data=shot,
            )
            TimeLimitRule.objects.filter(pk=row.pk).update(approved_version=approval)


EDITOR_PERMISSIONS = ["view_timelimitrule", "add_timelimitrule", "change_timelimitrule"]


def grant_editors(apps, schema_editor=None):
    """Editors keep the rules' wording (an attorney approves it); deleting a rule is for superusers, since
    articles quote rules by key."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS)
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)
