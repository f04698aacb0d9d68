"""A deterministic corpus of mojibake'd and clean planning-doc text for the encoding repair.

Every case is a line (or a whole document) of the kind a software team writes in Markdown
planning docs, in one of ten languages, together with the exact text a repair must return.
Broken cases are made by encoding the original as UTF-8 and decoding the bytes with a
single-byte code page (once, twice, or for a part of the line only); clean cases are real text
that must come back unchanged, including text that only looks suspicious.

Pure standard library, so the corpus can be built without plandocs:

    python tests/corpus/mojibake.py     # counts per category, then a self-check
"""

from __future__ import annotations

import codecs
import functools
import random
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

CATEGORIES = (
    "cp1252",
    "latin1",
    "mac_roman",
    "cp1251",
    "cp437",
    "double",
    "partial",
    "emoji-in-cyrillic",
    "document",
    "clean",
)
BROKEN_CATEGORIES = CATEGORIES[:-1]
CODECS = ("cp1252", "latin1", "mac_roman", "cp1251", "cp437")


@dataclass(frozen=True)
class Case:
    """One input for the repair and the exact text the repair must return."""

    id: str
    category: str
    text: str
    expected: str
    # The code pages applied, in order. With no broken_parts they were applied to the whole
    # expected text; otherwise only to each of broken_parts (substrings of expected, in order).
    codecs: tuple[str, ...] = ()
    broken_parts: tuple[str, ...] = ()

    @property
    def broken(self) -> bool:
        return self.category != "clean"


# --- the code pages -----------------------------------------------------------------------


def _decoding_table(codec: str) -> str:
    chars = []
    for byte in range(256):
        try:
            chars.append(bytes([byte]).decode(codec))
        except UnicodeDecodeError:
            # Windows decodes the bytes its code page leaves undefined (0x81 0x8D 0x8F 0x90
            # 0x9D in cp1252, 0x98 in cp1251) to the C1 control of the same number, so that
            # is what mojibake made on Windows contains.
            chars.append(chr(byte))
    return "".join(chars)


_TABLES = {codec: _decoding_table(codec) for codec in CODECS}
_ENCODING_MAPS = {codec: codecs.charmap_build(table) for codec, table in _TABLES.items()}


def mojibake(text: str, codec: str) -> str:
    """Return ``text`` encoded as UTF-8 and decoded with the single-byte ``codec``."""
    return codecs.charmap_decode(text.encode("utf-8"), "strict", _TABLES[codec])[0]


def unmojibake(text: str, codec: str) -> str:
    """Invert :func:`mojibake`: encode with ``codec``, decode as UTF-8."""
    return codecs.charmap_encode(text, "strict", _ENCODING_MAPS[codec])[0].decode("utf-8")


def _mojibake_chain(text: str, chain: Sequence[str]) -> str:
    for codec in chain:
        text = mojibake(text, codec)
    return text


# --- vocabulary -----------------------------------------------------------------------------

_WARNING = "\u26a0\ufe0f"  # ⚠️ with its variation selector, as keyboards and editors insert it
EMOJI = ("🔴", "🟡", "🟢", "🟠", "✅", "❌", _WARNING, "🚧", "📌", "🔥", "⏳", "📝")
_STATE_EMOJI = {
    "done": ("✅", "✅", "🟢"),
    "progress": ("🚧", "⏳", "🟡"),
    "blocked": ("❌", "🔴", _WARNING),
    "review": ("📝", "🟡", "⏳"),
    "todo": ("📌", "⏳", "🟠"),
    "hold": ("⏳", "🟠"),
}
_PRIORITY_EMOJI = (("🔴", "🔥"), ("🟡", "🟠"), ("🟢",), ("🔥", _WARNING, "🔴"))
_TREE_PREFIXES = (
    "├─→ ",
    "└─→ ",
    "│   ├─→ ",
    "│   └─→ ",
    "    └─→ ",
    "├── ",
    "└── ",
    "│   │   └─→ ",
    "│   └── ",
)
_ARROWS = (" → ", " ──→ ", " ─→ ", " → ")
_CODE = (
    "router.dispatch()",
    "POST /api/v1/orders",
    "config/router.yaml",
    "make test",
    "X-Request-Id",
    "retry_queue.push()",
    "--dry-run",
    "SELECT count(*) FROM orders",
    "plandocs check",
    "mkdocs build --strict",
    "RATE_LIMIT_RPS=200",
    "orders/wrk-3/",
)
_COMPONENTS_EN = ("Router Core", "Storage", "Auth", "Billing", "Infra", "Frontend", "Search")


@dataclass(frozen=True)
class _Language:
    code: str
    # owner, status, priority, deadline, depends, blocks, criteria, component, estimate,
    # notes, task
    labels: dict[str, str]
    sections: tuple[str, str, str, str, str]  # dependencies, plan, criteria, notes, risks
    priorities: tuple[str, str, str, str]  # heading text: high, medium, low, critical
    levels: tuple[str, str, str]  # field value: high, medium, low
    statuses: tuple[tuple[str, str], ...]  # (state, word)
    titles: tuple[str, ...]
    components: tuple[str, ...]
    people: tuple[str, ...]
    estimates: tuple[str, ...]
    sentences: tuple[str, ...]
    criteria: tuple[str, ...]


_EN = _Language(
    code="en",
    labels={
        "owner": "Owner",
        "status": "Status",
        "priority": "Priority",
        "deadline": "Deadline",
        "depends": "Depends on",
        "blocks": "Blocks",
        "criteria": "Acceptance criteria",
        "component": "Component",
        "estimate": "Estimate",
        "notes": "Notes",
        "task": "Task",
    },
    sections=("Dependencies", "Plan", "Acceptance criteria", "Notes", "Risks"),
    priorities=("HIGH PRIORITY", "MEDIUM PRIORITY", "LOW PRIORITY", "CRITICAL"),
    levels=("high", "medium", "low"),
    statuses=(
        ("done", "Done"),
        ("progress", "In progress"),
        ("blocked", "Blocked"),
        ("review", "In review"),
        ("todo", "Not started"),
        ("hold", "On hold"),
    ),
    titles=(
        "Router core implementation",
        "Database schema migration",
        "Rate limiter for the public API",
        "Session token rotation",
        "Retry queue for webhooks",
        "Config loader refactor",
        "Metrics export to Prometheus",
        "Audit log retention",
        "Search index rebuild",
        "Feature flag cleanup",
        "Backup restore drill",
        "TLS certificate renewal",
        "Billing export job",
        "Dependency upgrade sweep",
        "Health check endpoint",
        "Admin dashboard filters",
        "Localization of error messages",
        "Upload size validation",
    ),
    components=_COMPONENTS_EN,
    people=("Alice Chen", "Bob Martin", "Dana Kim", "Sam O’Neill", "Priya Nair", "Tom Berg"),
    estimates=("3 days", "1 week", "2–3 days", "5 SP", "½ day"),
    sentences=(
        "Blocked until the schema migration lands — see ADR-0012.",
        "The router must reject requests larger than 10 MB.",
        "We agreed to ship the “minimal” version first.",
        "Rollback plan: turn the flag off, then re-run the migration.",
        "Estimates are rough; expect ± 2 days.",
        "Latency budget is ≤ 50 ms at p99.",
        "Dana will check the load tests before Friday’s sync.",
        "The docs are updated and every link was checked.",
        "Green locally; one scenario still fails in CI…",
        "After the release we watch the error rate for a week.",
        "This change needs a review from the component owner.",
        "The root cause was a malformed cache key — fixed in #412.",
        "Don’t merge before the “freeze” ends on Monday.",
        "Throughput must stay ≥ 2,000 req/s per node.",
        "Moved to the next checkpoint – the API contract isn’t final.",
    ),
    criteria=(
        "All endpoints return 4xx on malformed input",
        "The migration is reversible",
        "p99 latency ≤ 50 ms under load",
        "The runbook is updated",
        "Test coverage ≥ 80 %",
        "Metrics are visible on the dashboard",
        "Rollback tested on staging",
        "Errors are logged with the request ID",
        "No new warnings in the strict build",
        "Retries back off exponentially (max 5 attempts)",
    ),
)

_RU = _Language(
    code="ru",
    labels={
        "owner": "Ответственный",
        "status": "Статус",
        "priority": "Приоритет",
        "deadline": "Срок",
        "depends": "Зависит от",
        "blocks": "Блокирует",
        "criteria": "Критерии приёмки",
        "component": "Компонент",
        "estimate": "Оценка",
        "notes": "Примечания",
        "task": "Задача",
    },
    sections=("Зависимости", "План работ", "Критерии приёмки", "Примечания", "Риски"),
    priorities=("ВЫСОКИЙ ПРИОРИТЕТ", "СРЕДНИЙ ПРИОРИТЕТ", "НИЗКИЙ ПРИОРИТЕТ", "КРИТИЧНО"),
    levels=("высокий", "средний", "низкий"),
    statuses=(
        ("done", "Готово"),
        ("done", "Выполнено"),
        ("progress", "В работе"),
        ("blocked", "Заблокировано"),
        ("review", "На ревью"),
        ("todo", "Не начато"),
        ("hold", "Отложено"),
    ),
    titles=(
        "Реализация роутера",
        "Миграция схемы базы данных",
        "Ограничение частоты запросов",
        "Ротация токенов сессии",
        "Очередь повторов для вебхуков",
        "Рефакторинг загрузчика конфигурации",
        "Экспорт метрик в Prometheus",
        "Хранение журнала аудита",
        "Перестроение поискового индекса",
        "Удаление устаревших флагов",
        "Проверка восстановления из резервной копии",
        "Обновление зависимостей",
        "Проверка работоспособности сервиса",
        "Локализация сообщений об ошибках",
        "Фильтры в панели администратора",
        "Продление сертификатов TLS",
        "Выгрузка счетов в бухгалтерию",
        "Объединение очередей задач",
    ),
    components=(
        "Ядро роутера",
        "Хранилище",
        "Авторизация",
        "Биллинг",
        "Инфраструктура",
        "Фронтенд",
        "Поиск",
    ),
    people=(
        "Пётр Иванов",
        "Алёна Смирнова",
        "Фёдор Кузнецов",
        "Ольга Соколова",
        "Семён Лебедев",
        "Юлия Морозова",
    ),
    estimates=("3 дня", "1 неделя", "2–3 дня", "5 SP", "полдня"),
    sentences=(
        "Задача заблокирована до завершения миграции — см. ADR-0012.",
        "Роутер должен отклонять запросы больше 10 МБ.",
        "Договорились сначала выпустить «минимальную» версию.",
        "План отката: выключить флаг и повторить миграцию.",
        "Оценка примерная, возможен сдвиг на ± 2 дня.",
        "Всё, что касается кеша, обсудим на созвоне в четверг.",
        "Пётр проверит нагрузочные тесты до пятницы.",
        "Жёлтый статус означает, что есть риск по срокам.",
        "Ещё не решено, кто возьмёт подзадачу по логированию.",
        "Нужно согласовать формат ответа с командой фронтенда.",
        "После релиза следим за ошибками в течение недели.",
        "Документация обновлена, ссылки проверены.",
        "Тесты проходят локально, в CI падает один сценарий…",
        "Требуется ревью от владельца компонента.",
        "Задержка не должна превышать 50 мс на p99.",
        "Причина — неверный ключ кеша, исправлено в #412.",
        "Подъём нагрузки до 2000 запросов в секунду прошёл без ошибок.",
        "Объём журнала растёт на 3 ГБ в сутки, нужна ротация.",
    ),
    criteria=(
        "Все эндпоинты возвращают 4xx на некорректный ввод",
        "Миграция обратима",
        "Задержка p99 ≤ 50 мс под нагрузкой",
        "Документация в ранбуке обновлена",
        "Нет новых предупреждений при строгой сборке",
        "Покрытие тестами не ниже 80 %",
        "Метрики видны на дашборде",
        "Журнал аудита хранится 90 дней",
        "Откат проверен на стенде",
        "Ошибки логируются с идентификатором запроса",
        "Повторные попытки идут с экспоненциальной задержкой",
    ),
)

_UK = _Language(
    code="uk",
    labels={
        "owner": "Відповідальний",
        "status": "Статус",
        "priority": "Пріоритет",
        "deadline": "Термін",
        "depends": "Залежить від",
        "blocks": "Блокує",
        "criteria": "Критерії приймання",
        "component": "Компонент",
        "estimate": "Оцінка",
        "notes": "Примітки",
        "task": "Завдання",
    },
    sections=("Залежності", "План робіт", "Критерії приймання", "Примітки", "Ризики"),
    priorities=("ВИСОКИЙ ПРІОРИТЕТ", "СЕРЕДНІЙ ПРІОРИТЕТ", "НИЗЬКИЙ ПРІОРИТЕТ", "КРИТИЧНО"),
    levels=("високий", "середній", "низький"),
    statuses=(
        ("done", "Готово"),
        ("done", "Виконано"),
        ("progress", "У роботі"),
        ("blocked", "Заблоковано"),
        ("review", "На перевірці"),
        ("todo", "Не розпочато"),
        ("hold", "Відкладено"),
    ),
    titles=(
        "Реалізація маршрутизатора",
        "Міграція схеми бази даних",
        "Обмеження частоти запитів",
        "Ротація токенів сесії",
        "Черга повторів для вебхуків",
        "Рефакторинг завантажувача конфігурації",
        "Експорт метрик у Prometheus",
        "Зберігання журналу аудиту",
        "Перебудова пошукового індексу",
        "Видалення застарілих прапорців",
        "Перевірка відновлення з резервної копії",
        "Оновлення залежностей",
        "Локалізація повідомлень про помилки",
        "Ґенерація звітів для бухгалтерії",
        "Інтеграція з платіжним шлюзом",
        "Єдиний журнал подій",
    ),
    components=(
        "Ядро маршрутизатора",
        "Сховище",
        "Авторизація",
        "Білінг",
        "Інфраструктура",
        "Фронтенд",
        "Пошук",
    ),
    people=(
        "Ігор Шевченко",
        "Олена Коваленко",
        "Юлія Бойко",
        "Євген Мельник",
        "Ярослав Кравчук",
        "Ґалина Ткачук",
    ),
    estimates=("3 дні", "1 тиждень", "2–3 дні", "5 SP", "пів дня"),
    sentences=(
        "Рішення ухвалено на зустрічі в Києві.",
        "Він перевірить навантажувальні тести до п’ятниці.",
        "Завдання заблоковане до завершення міграції — див. ADR-0012.",
        "Домовилися спочатку випустити «мінімальну» версію.",
        "Її ще не призначено жодному виконавцю.",
        "Є ризик, що ґрунтовна перевірка займе більше часу.",
        "Документацію оновлено, посилання перевірено.",
        "Тести проходять локально, у CI падає один сценарій.",
        "Потрібне рев’ю від власника компонента.",
        "Затримка не повинна перевищувати 50 мс на p99.",
        "Їхня команда чекає на наш API до кінця спринту.",
        "Усі зміни пройшли перевірку безпеки.",
        "План відкату: вимкнути прапорець і повторити міграцію.",
        "Після релізу стежимо за помилками протягом тижня.",
        "Оцінка приблизна, можливий зсув на ± 2 дні.",
    ),
    criteria=(
        "Усі ендпоінти повертають 4xx на некоректне введення",
        "Міграція є оборотною",
        "Затримка p99 ≤ 50 мс під навантаженням",
        "Документацію в ранбуку оновлено",
        "Покриття тестами не нижче 80 %",
        "Метрики видно на дашборді",
        "Відкат перевірено на стенді",
        "Помилки логуються з ідентифікатором запиту",
        "Журнал аудиту зберігається 90 днів",
    ),
)

_DE = _Language(
    code="de",
    labels={
        "owner": "Verantwortlich",
        "status": "Status",
        "priority": "Priorität",
        "deadline": "Frist",
        "depends": "Hängt ab von",
        "blocks": "Blockiert",
        "criteria": "Abnahmekriterien",
        "component": "Komponente",
        "estimate": "Schätzung",
        "notes": "Anmerkungen",
        "task": "Aufgabe",
    },
    sections=("Abhängigkeiten", "Arbeitsplan", "Abnahmekriterien", "Anmerkungen", "Risiken"),
    priorities=("HOHE PRIORITÄT", "MITTLERE PRIORITÄT", "NIEDRIGE PRIORITÄT", "KRITISCH"),
    levels=("hoch", "mittel", "niedrig"),
    statuses=(
        ("done", "Erledigt"),
        ("progress", "In Arbeit"),
        ("blocked", "Blockiert"),
        ("review", "Im Review"),
        ("todo", "Nicht begonnen"),
        ("hold", "Zurückgestellt"),
    ),
    titles=(
        "Implementierung des Routers",
        "Migration des Datenbankschemas",
        "Ratenbegrenzung für die öffentliche API",
        "Rotation der Sitzungstoken",
        "Wiederholungswarteschlange für Webhooks",
        "Überarbeitung des Konfigurationsladers",
        "Export der Metriken nach Prometheus",
        "Aufbewahrung des Prüfprotokolls",
        "Neuaufbau des Suchindex",
        "Bereinigung alter Feature-Flags",
        "Übung zur Wiederherstellung aus dem Backup",
        "Aktualisierung der Abhängigkeiten",
        "Lokalisierung der Fehlermeldungen",
        "Größenprüfung für Uploads",
        "Schlüsselverwaltung für Mandanten",
    ),
    components=("Router-Kern", "Speicher", "Authentifizierung", "Abrechnung", "Infrastruktur"),
    people=("Jörg Müller", "Jürgen Weiß", "Anna Schäfer", "Lukas Groß", "Sören Köhler"),
    estimates=("3 Tage", "1 Woche", "2–3 Tage", "5 SP", "½ Tag"),
    sentences=(
        "Blockiert, bis die Schemamigration gemergt ist – siehe ADR-0012.",
        "Der Router muss Anfragen über 10 MB ablehnen.",
        "Wir haben uns geeinigt, zuerst die „minimale“ Version auszuliefern.",
        "Rückfallplan: Flag abschalten, dann die Migration erneut ausführen.",
        "Die Schätzung ist grob; rechnet mit ± 2 Tagen.",
        "Für die Größenprüfung brauchen wir noch eine Entscheidung.",
        "Jörg übernimmt die Überprüfung der Lasttests bis Freitag.",
        "Die Latenz darf 50 ms bei p99 nicht überschreiten.",
        "Äußerst wichtig: keine Änderungen am Schlüsselformat.",
        "Die Dokumentation ist aktualisiert, alle Links sind geprüft.",
        "Lokal grün, in der CI schlägt ein Szenario fehl.",
        "Nach dem Release beobachten wir die Fehlerquote eine Woche lang.",
        "Die Änderung braucht ein Review vom Eigentümer der Komponente.",
        "Ursache war ein fehlerhafter Cache-Schlüssel, behoben in #412.",
    ),
    criteria=(
        "Alle Endpunkte liefern 4xx bei ungültiger Eingabe",
        "Die Migration ist umkehrbar",
        "p99-Latenz ≤ 50 ms unter Last",
        "Das Runbook ist aktualisiert",
        "Testabdeckung mindestens 80 %",
        "Metriken sind im Dashboard sichtbar",
        "Rückfall auf der Staging-Umgebung geprüft",
        "Fehler werden mit Anfrage-ID protokolliert",
    ),
)

_CS = _Language(
    code="cs",
    labels={
        "owner": "Odpovědná osoba",
        "status": "Stav",
        "priority": "Priorita",
        "deadline": "Termín",
        "depends": "Závisí na",
        "blocks": "Blokuje",
        "criteria": "Kritéria přijetí",
        "component": "Komponenta",
        "estimate": "Odhad",
        "notes": "Poznámky",
        "task": "Úkol",
    },
    sections=("Závislosti", "Plán prací", "Kritéria přijetí", "Poznámky", "Rizika"),
    priorities=("VYSOKÁ PRIORITA", "STŘEDNÍ PRIORITA", "NÍZKÁ PRIORITA", "KRITICKÉ"),
    levels=("vysoká", "střední", "nízká"),
    statuses=(
        ("done", "Hotovo"),
        ("progress", "Probíhá"),
        ("blocked", "Zablokováno"),
        ("review", "Čeká na revizi"),
        ("todo", "Nezahájeno"),
        ("hold", "Odloženo"),
    ),
    titles=(
        "Implementace směrovače",
        "Migrace schématu databáze",
        "Omezení četnosti požadavků",
        "Rotace tokenů relace",
        "Fronta opakování pro webhooky",
        "Přepracování načítání konfigurace",
        "Export metrik do Promethea",
        "Uchovávání auditního záznamu",
        "Přestavba vyhledávacího indexu",
        "Úklid starých přepínačů funkcí",
        "Cvičení obnovy ze zálohy",
        "Aktualizace závislostí",
        "Lokalizace chybových hlášek",
        "Kontrola velikosti nahrávaných souborů",
    ),
    components=("Jádro směrovače", "Úložiště", "Ověřování", "Fakturace", "Infrastruktura"),
    people=("Jiří Dvořák", "Petra Nováková", "Tomáš Černý", "Lucie Horáková", "Šimon Král"),
    estimates=("3 dny", "1 týden", "2–3 dny", "5 SP", "půl dne"),
    sentences=(
        "Zablokováno, dokud se nesloučí migrace schématu – viz ADR-0012.",
        "Směrovač musí odmítat požadavky větší než 10 MB.",
        "Dohodli jsme se, že nejdřív vydáme „minimální“ verzi.",
        "Plán návratu: vypnout přepínač a znovu spustit migraci.",
        "Odhad je hrubý; počítejte s ± 2 dny.",
        "Jiří zkontroluje zátěžové testy do pátku.",
        "Latence nesmí překročit 50 ms na p99.",
        "Dokumentace je aktualizovaná, odkazy ověřené.",
        "Lokálně testy projdou, v CI jeden scénář selhává.",
        "Po vydání budeme týden sledovat chybovost.",
        "Řešení je třeba probrat s týmem frontendu.",
        "Změna vyžaduje revizi od vlastníka komponenty.",
        "Příčinou byl chybný klíč mezipaměti, opraveno v #412.",
    ),
    criteria=(
        "Všechny koncové body vrací 4xx při neplatném vstupu",
        "Migrace je vratná",
        "Latence p99 ≤ 50 ms pod zátěží",
        "Runbook je aktualizovaný",
        "Pokrytí testy alespoň 80 %",
        "Metriky jsou vidět na dashboardu",
        "Chyby se logují s ID požadavku",
        "Návrat ověřen na testovacím prostředí",
    ),
)

_PL = _Language(
    code="pl",
    labels={
        "owner": "Odpowiedzialny",
        "status": "Status",
        "priority": "Priorytet",
        "deadline": "Termin",
        "depends": "Zależy od",
        "blocks": "Blokuje",
        "criteria": "Kryteria akceptacji",
        "component": "Komponent",
        "estimate": "Szacunek",
        "notes": "Uwagi",
        "task": "Zadanie",
    },
    sections=("Zależności", "Plan prac", "Kryteria akceptacji", "Uwagi", "Ryzyka"),
    priorities=("WYSOKI PRIORYTET", "ŚREDNI PRIORYTET", "NISKI PRIORYTET", "KRYTYCZNE"),
    levels=("wysoki", "średni", "niski"),
    statuses=(
        ("done", "Zrobione"),
        ("progress", "W toku"),
        ("blocked", "Zablokowane"),
        ("review", "W przeglądzie"),
        ("todo", "Nierozpoczęte"),
        ("hold", "Wstrzymane"),
    ),
    titles=(
        "Implementacja routera",
        "Migracja schematu bazy danych",
        "Ograniczenie liczby żądań w publicznym API",
        "Rotacja tokenów sesji",
        "Kolejka ponowień dla webhooków",
        "Przebudowa ładowania konfiguracji",
        "Eksport metryk do Prometheusa",
        "Przechowywanie dziennika audytu",
        "Przebudowa indeksu wyszukiwania",
        "Usunięcie starych flag funkcji",
        "Ćwiczenie odtwarzania z kopii zapasowej",
        "Aktualizacja zależności",
        "Tłumaczenie komunikatów o błędach",
        "Sprawdzanie rozmiaru przesyłanych plików",
    ),
    components=("Rdzeń routera", "Magazyn danych", "Uwierzytelnianie", "Rozliczenia"),
    people=("Łukasz Wójcik", "Małgorzata Kowalczyk", "Paweł Zieliński", "Agnieszka Wiśniewska"),
    estimates=("3 dni", "1 tydzień", "2–3 dni", "5 SP", "pół dnia"),
    sentences=(
        "Zablokowane do czasu scalenia migracji schematu – zob. ADR-0012.",
        "Router musi odrzucać żądania większe niż 10 MB.",
        "Ustaliliśmy, że najpierw wydamy „minimalną” wersję.",
        "Plan wycofania: wyłączyć flagę i ponownie uruchomić migrację.",
        "Szacunek jest zgrubny; należy liczyć się z ± 2 dniami.",
        "Łukasz sprawdzi testy obciążeniowe do piątku.",
        "Opóźnienie nie może przekroczyć 50 ms na p99.",
        "Dokumentacja jest zaktualizowana, linki sprawdzone.",
        "Lokalnie testy przechodzą, w CI jeden scenariusz się wysypuje.",
        "Po wydaniu przez tydzień śledzimy liczbę błędów.",
        "Zmiana wymaga przeglądu przez właściciela komponentu.",
        "Źródło problemu leży w błędnej konfiguracji pamięci podręcznej.",
        "Żadnych zmian w formacie kluczy bez zgody zespołu.",
    ),
    criteria=(
        "Wszystkie punkty końcowe zwracają 4xx przy błędnych danych",
        "Migracja jest odwracalna",
        "Opóźnienie p99 ≤ 50 ms pod obciążeniem",
        "Runbook jest zaktualizowany",
        "Pokrycie testami co najmniej 80 %",
        "Metryki są widoczne na pulpicie",
        "Błędy są logowane z identyfikatorem żądania",
        "Wycofanie sprawdzone na środowisku testowym",
    ),
)

_FR = _Language(
    code="fr",
    labels={
        "owner": "Responsable",
        "status": "Statut",
        "priority": "Priorité",
        "deadline": "Échéance",
        "depends": "Dépend de",
        "blocks": "Bloque",
        "criteria": "Critères d’acceptation",
        "component": "Composant",
        "estimate": "Estimation",
        "notes": "Remarques",
        "task": "Tâche",
    },
    sections=("Dépendances", "Plan de travail", "Critères d’acceptation", "Remarques", "Risques"),
    priorities=("PRIORITÉ HAUTE", "PRIORITÉ MOYENNE", "PRIORITÉ BASSE", "CRITIQUE"),
    levels=("haute", "moyenne", "basse"),
    statuses=(
        ("done", "Terminé"),
        ("progress", "En cours"),
        ("blocked", "Bloqué"),
        ("review", "En revue"),
        ("todo", "Pas commencé"),
        ("hold", "En attente"),
    ),
    titles=(
        "Implémentation du routeur",
        "Migration du schéma de base de données",
        "Limitation du débit de l’API publique",
        "Rotation des jetons de session",
        "File de relance pour les webhooks",
        "Refonte du chargeur de configuration",
        "Export des métriques vers Prometheus",
        "Conservation du journal d’audit",
        "Reconstruction de l’index de recherche",
        "Nettoyage des anciens drapeaux de fonctionnalité",
        "Exercice de restauration à partir d’une sauvegarde",
        "Mise à jour des dépendances",
        "Traduction des messages d’erreur",
        "Contrôle de la taille des fichiers téléversés",
    ),
    components=("Cœur du routeur", "Stockage", "Authentification", "Facturation"),
    people=("François Lefèvre", "Hélène Moreau", "Jérôme Girard", "Noël Bérard", "Zoé Dupré"),
    estimates=("3 jours", "1 semaine", "2–3 jours", "5 SP", "½ journée"),
    sentences=(
        "Bloqué tant que la migration du schéma n’est pas fusionnée — voir ADR-0012.",
        "Le routeur doit rejeter les requêtes de plus de 10 Mo.",
        "Nous avons décidé de livrer d’abord la version « minimale ».",
        "Plan de retour arrière\u00a0: désactiver le drapeau, puis relancer la migration.",
        "L’estimation est approximative ; prévoir ± 2 jours.",
        "François vérifiera les tests de charge d’ici vendredi.",
        "La latence ne doit pas dépasser 50 ms au p99.",
        "La documentation est à jour, les liens ont été vérifiés.",
        "En local tout passe ; en CI un scénario échoue.",
        "Après la mise en production, on suit le taux d’erreurs pendant une semaine.",
        "Ce changement nécessite une revue du propriétaire du composant.",
        "Le cœur du problème est une clé de cache mal formée.",
        "Déjà discuté lors de la réunion de lundi, voir le compte rendu.",
    ),
    criteria=(
        "Tous les points d’accès renvoient 4xx sur une entrée invalide",
        "La migration est réversible",
        "Latence p99 ≤ 50 ms sous charge",
        "Le runbook est à jour",
        "Couverture de tests d’au moins 80 %",
        "Les métriques sont visibles dans le tableau de bord",
        "Les erreurs sont journalisées avec l’identifiant de requête",
        "Retour arrière vérifié en préproduction",
    ),
)

_ES = _Language(
    code="es",
    labels={
        "owner": "Responsable",
        "status": "Estado",
        "priority": "Prioridad",
        "deadline": "Fecha límite",
        "depends": "Depende de",
        "blocks": "Bloquea",
        "criteria": "Criterios de aceptación",
        "component": "Componente",
        "estimate": "Estimación",
        "notes": "Notas",
        "task": "Tarea",
    },
    sections=("Dependencias", "Plan de trabajo", "Criterios de aceptación", "Notas", "Riesgos"),
    priorities=("PRIORIDAD ALTA", "PRIORIDAD MEDIA", "PRIORIDAD BAJA", "CRÍTICO"),
    levels=("alta", "media", "baja"),
    statuses=(
        ("done", "Hecho"),
        ("progress", "En curso"),
        ("blocked", "Bloqueado"),
        ("review", "En revisión"),
        ("todo", "Sin empezar"),
        ("hold", "En espera"),
    ),
    titles=(
        "Implementación del enrutador",
        "Migración del esquema de la base de datos",
        "Limitación de peticiones en la API pública",
        "Rotación de tokens de sesión",
        "Cola de reintentos para webhooks",
        "Rediseño del cargador de configuración",
        "Exportación de métricas a Prometheus",
        "Retención del registro de auditoría",
        "Reconstrucción del índice de búsqueda",
        "Limpieza de banderas de funcionalidad antiguas",
        "Simulacro de restauración desde copia de seguridad",
        "Actualización de dependencias",
        "Traducción de los mensajes de error",
        "Validación del tamaño de archivos subidos",
    ),
    components=("Núcleo del enrutador", "Almacenamiento", "Autenticación", "Facturación"),
    people=("Íñigo Martínez", "María José Núñez", "José Ramírez", "Begoña Gutiérrez"),
    estimates=("3 días", "1 semana", "2–3 días", "5 SP", "media jornada"),
    sentences=(
        "Bloqueado hasta que se fusione la migración del esquema — véase ADR-0012.",
        "El enrutador debe rechazar peticiones de más de 10 MB.",
        "Acordamos publicar primero la versión «mínima».",
        "Plan de reversión: desactivar la bandera y volver a ejecutar la migración.",
        "La estimación es aproximada; contad con ± 2 días.",
        "Íñigo revisará las pruebas de carga antes del viernes.",
        "¿Quién se encarga de la subtarea de registro?",
        "¡Ojo! La latencia no debe superar 50 ms en p99.",
        "La documentación está actualizada y los enlaces revisados.",
        "En local todo pasa; en CI falla un escenario.",
        "Tras el despliegue vigilaremos la tasa de errores durante una semana.",
        "El cambio necesita revisión del dueño del componente.",
        "Mañana se decide el diseño de la caché.",
    ),
    criteria=(
        "Todos los endpoints devuelven 4xx ante una entrada inválida",
        "La migración es reversible",
        "Latencia p99 ≤ 50 ms bajo carga",
        "El runbook está actualizado",
        "Cobertura de pruebas de al menos el 80 %",
        "Las métricas se ven en el panel",
        "Los errores se registran con el identificador de la petición",
        "Reversión comprobada en preproducción",
    ),
)

_JA = _Language(
    code="ja",
    labels={
        "owner": "担当",
        "status": "状態",
        "priority": "優先度",
        "deadline": "期限",
        "depends": "依存",
        "blocks": "ブロック対象",
        "criteria": "受け入れ条件",
        "component": "コンポーネント",
        "estimate": "見積もり",
        "notes": "備考",
        "task": "タスク",
    },
    sections=("依存関係", "作業計画", "受け入れ条件", "備考", "リスク"),
    priorities=("優先度：高", "優先度：中", "優先度：低", "緊急"),
    levels=("高", "中", "低"),
    statuses=(
        ("done", "完了"),
        ("progress", "進行中"),
        ("blocked", "ブロック中"),
        ("review", "レビュー待ち"),
        ("todo", "未着手"),
        ("hold", "保留"),
    ),
    titles=(
        "ルーターの実装",
        "データベーススキーマの移行",
        "公開APIのレート制限",
        "セッショントークンのローテーション",
        "Webhook再送キュー",
        "設定ローダーのリファクタリング",
        "Prometheusへのメトリクス出力",
        "監査ログの保持",
        "検索インデックスの再構築",
        "古い機能フラグの削除",
        "バックアップからの復元訓練",
        "依存関係の更新",
        "エラーメッセージの翻訳",
        "アップロードサイズの検証",
    ),
    components=("ルーター中核", "ストレージ", "認証", "課金", "基盤"),
    people=("田中 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲"),
    estimates=("3日", "1週間", "2〜3日", "5 SP", "半日"),
    sentences=(
        "スキーマ移行がマージされるまでブロック中です（ADR-0012参照）。",
        "ルーターは10MBを超えるリクエストを拒否すること。",
        "まず「最小」版を出すことで合意しました。",
        "切り戻し手順：フラグを無効にし、移行を再実行する。",
        "見積もりは概算です。±2日を見込んでください。",
        "負荷試験は金曜日までに田中さんが確認します。",
        "p99のレイテンシは50ms以内とする。",
        "ドキュメントを更新し、リンクも確認済み。",
        "ローカルでは通るが、CIでは1件失敗している。",
        "リリース後1週間はエラー率を監視する。",
        "コンポーネント担当者のレビューが必要です。",
        "キャッシュのキー形式が原因でした。",
    ),
    criteria=(
        "不正な入力にはすべてのエンドポイントが4xxを返す",
        "移行はロールバック可能である",
        "負荷時のp99レイテンシが50ms以下",
        "ランブックが更新されている",
        "テストカバレッジ80％以上",
        "ダッシュボードでメトリクスが見える",
        "エラーはリクエストID付きで記録される",
    ),
)

_ZH = _Language(
    code="zh",
    labels={
        "owner": "负责人",
        "status": "状态",
        "priority": "优先级",
        "deadline": "截止日期",
        "depends": "依赖",
        "blocks": "阻塞",
        "criteria": "验收标准",
        "component": "组件",
        "estimate": "估算",
        "notes": "备注",
        "task": "任务",
    },
    sections=("依赖关系", "工作计划", "验收标准", "备注", "风险"),
    priorities=("高优先级", "中优先级", "低优先级", "紧急"),
    levels=("高", "中", "低"),
    statuses=(
        ("done", "已完成"),
        ("progress", "进行中"),
        ("blocked", "已阻塞"),
        ("review", "待评审"),
        ("todo", "未开始"),
        ("hold", "已搁置"),
    ),
    titles=(
        "路由器实现",
        "数据库架构迁移",
        "公共API限流",
        "会话令牌轮换",
        "Webhook重试队列",
        "配置加载器重构",
        "指标导出到Prometheus",
        "审计日志保留",
        "重建搜索索引",
        "清理旧的功能开关",
        "备份恢复演练",
        "依赖升级",
        "错误信息本地化",
        "上传文件大小校验",
    ),
    components=("路由核心", "存储", "认证", "计费", "基础设施"),
    people=("王伟", "李娜", "张敏", "刘洋"),
    estimates=("3天", "1周", "2～3天", "5 SP", "半天"),
    sentences=(
        "在架构迁移合并之前处于阻塞状态（参见ADR-0012）。",
        "路由器必须拒绝超过10MB的请求。",
        "我们商定先发布「最小」版本。",
        "回滚方案：关闭开关，然后重新执行迁移。",
        "估算比较粗略，请预留±2天。",
        "王工将在周五前检查压力测试。",
        "p99延迟不得超过50毫秒。",
        "文档已更新，链接已检查。",
        "本地测试通过，CI中有一个场景失败。",
        "发布后一周内持续监控错误率。",
        "此变更需要组件负责人评审。",
        "问题根源是缓存键格式错误、配置未同步。",
    ),
    criteria=(
        "所有接口在输入非法时返回4xx",
        "迁移可回滚",
        "负载下p99延迟≤50毫秒",
        "运行手册已更新",
        "测试覆盖率不低于80％",
        "仪表盘上可以看到指标",
        "错误日志包含请求ID",
    ),
)

_LANGUAGES = {lang.code: lang for lang in (_EN, _RU, _UK, _DE, _CS, _PL, _FR, _ES, _JA, _ZH)}

# --- one planning-doc line ------------------------------------------------------------------


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _order_id(rng: random.Random) -> str:
    return f"ORDER-WRK-{rng.randint(1, 9)}-CP{rng.randint(1, 5)}-{rng.randint(1, 40):03d}"


def _date(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _status(rng: random.Random, lang: _Language) -> str:
    state, word = rng.choice(lang.statuses)
    return f"{rng.choice(_STATE_EMOJI[state])} {word}"


def _labels(rng: random.Random, lang: _Language) -> dict[str, str]:
    # Teams often keep the field names in English and write the values in their language.
    return _EN.labels if rng.random() < 0.3 else lang.labels


# Weighted towards what planning docs are mostly made of.
_FIELD_WEIGHTS = {"owner": 2, "status": 2, "priority": 1, "deadline": 1, "depends": 1}
_FIELD_WEIGHTS |= {"blocks": 1, "component": 1, "estimate": 1, "notes": 1}
_LINE_WEIGHTS = {"heading": 1, "order": 1, "field": 3, "status": 1, "tree": 2, "chain": 1}
_LINE_WEIGHTS |= {"table": 1, "row": 2, "checkbox": 1, "bullet": 1, "frontmatter": 1}
_LINE_WEIGHTS |= {"code": 1, "sentence": 1, "note": 1}


def _field(rng: random.Random, lang: _Language) -> str:
    labels = _labels(rng, lang)
    key = _weighted(rng, _FIELD_WEIGHTS)
    if key == "owner":
        worker = f"wrk-{rng.randint(1, 9)}"
        value = rng.choice(
            (
                f"{worker} ({rng.choice(lang.components)})",
                f"{rng.choice(lang.people)}, {worker}",
                f"{worker} ({rng.choice(_COMPONENTS_EN)})",
            )
        )
    elif key == "status":
        value = _status(rng, lang)
    elif key == "priority":
        level = rng.randrange(3)
        value = f"{rng.choice(_PRIORITY_EMOJI[level])} {lang.levels[level]}"
    elif key == "deadline":
        value = rng.choice((_date(rng), f"⏳ {_date(rng)}", f"{_date(rng)} ({lang.titles[0]})"))
    elif key in ("depends", "blocks"):
        value = rng.choice(
            (
                ", ".join(_order_id(rng) for _ in range(rng.randint(1, 3))),
                f"{_order_id(rng)} ({rng.choice(lang.titles)})",
                f"{_order_id(rng)} → {_order_id(rng)}",
            )
        )
    elif key == "component":
        value = rng.choice(lang.components)
    elif key == "estimate":
        value = rng.choice(lang.estimates)
    else:
        value = rng.choice(lang.sentences)
    colon = "：" if lang.code in ("ja", "zh") and rng.random() < 0.3 else ": "
    shape = rng.randrange(4)
    if shape == 0:
        return f"**{labels[key]}**{colon}{value}"
    if shape == 1:
        return f"**{labels[key]}:** {value}"
    if shape == 2:
        return f"- **{labels[key]}**{colon}{value}"
    return f"{labels[key]}{colon}{value}"


def _line(rng: random.Random, lang: _Language) -> tuple[str, str]:
    """Return (kind, line): one line of a planning document in ``lang``."""
    kind = _weighted(rng, _LINE_WEIGHTS)
    title = rng.choice(lang.titles)
    if kind == "heading":
        level = rng.randrange(4)
        text = f"{rng.choice(('##', '###', '###'))} {rng.choice(_PRIORITY_EMOJI[level])} "
        text += lang.priorities[level]
        if rng.random() < 0.3:
            text = f"### {rng.choice(lang.sections)}"
    elif kind == "order":
        hashes = rng.choice(("###", "####", "####"))
        text = f"{hashes} {_order_id(rng)}: {title}"
        if rng.random() < 0.3:
            text += f" {_status(rng, lang).split(' ', 1)[0]}"
    elif kind == "field":
        text = _field(rng, lang)
    elif kind == "status":
        text = rng.choice(
            (
                f"{_status(rng, lang)} — {title}",
                f"{rng.choice(EMOJI)} **{rng.choice(lang.statuses)[1]}** — {title}",
                f"{_order_id(rng)}: {_status(rng, lang)}",
            )
        )
    elif kind == "tree":
        text = f"{rng.choice(_TREE_PREFIXES)}{_order_id(rng)}: {title}"
        if rng.random() < 0.4:
            text += rng.choice((f" ({rng.choice(lang.statuses)[1]})", " ⏳", " ✅", " 🔴"))
    elif kind == "chain":
        ids = [_order_id(rng) for _ in range(rng.randint(2, 4))]
        text = rng.choice(_ARROWS).join(ids)
        if rng.random() < 0.6:
            text += f" — {title}"
    elif kind == "table":
        labels = _labels(rng, lang)
        first = rng.choice(("ORDER", labels["task"]))
        cols = [first, labels["owner"], labels["status"]]
        if rng.random() < 0.5:
            cols.append(labels["deadline"])
        if rng.random() < 0.3:
            cols[1] = "Owner"
        text = "| " + " | ".join(cols) + " |"
    elif kind == "row":
        cells = [_order_id(rng), title, f"wrk-{rng.randint(1, 9)}", _status(rng, lang)]
        if rng.random() < 0.3:
            cells[2] = rng.choice(lang.people)
        if rng.random() < 0.3:
            cells.append(_date(rng))
        if rng.random() < 0.3:
            del cells[1]
        text = "| " + " | ".join(cells) + " |"
    elif kind == "checkbox":
        text = f"- [{rng.choice(' xx')}] {rng.choice(lang.criteria)}"
    elif kind == "bullet":
        text = rng.choice(
            (
                f"- {rng.choice(lang.sentences)}",
                f"{rng.randint(1, 9)}. {rng.choice(lang.criteria)}",
                f"* {title} — {rng.choice(lang.people)}",
                f"  - {rng.choice(lang.criteria)}",
            )
        )
    elif kind == "frontmatter":
        text = rng.choice(
            (
                f'title: "{_order_id(rng)}: {title}"',
                f"title: {title}",
                f"status: {rng.choice(lang.statuses)[1]}",
                f"owner: {rng.choice(lang.people)}",
                f"component: {rng.choice(lang.components)}",
                f"tags: [{rng.choice(lang.components)}, {rng.choice(lang.levels)}]",
                f"summary: {rng.choice(lang.sentences)}",
            )
        )
    elif kind == "code":
        code = rng.choice(_CODE)
        text = rng.choice(
            (
                f"- `{code}` — {rng.choice(lang.criteria)}",
                f"{rng.choice(lang.sentences)} (`{code}`)",
                f"`{code}`: {title}",
            )
        )
    elif kind == "sentence":
        text = rng.choice(lang.sentences)
        if rng.random() < 0.3:
            text += " " + rng.choice(lang.sentences)
    else:
        text = rng.choice(
            (
                f"> {rng.choice(EMOJI)} {rng.choice(lang.sentences)}",
                f"> **{lang.labels['notes']}**: {rng.choice(lang.sentences)}",
                f"    {rng.choice(lang.sentences)}",
            )
        )
    return kind, text


def _non_ascii_line(rng: random.Random, lang: _Language) -> tuple[str, str]:
    while True:
        kind, text = _line(rng, lang)
        if not text.isascii():
            return kind, text


def _document(rng: random.Random, lang: _Language) -> str:
    """A whole planning document (15-60 lines) with LF line endings."""
    labels = _labels(rng, lang)
    order = _order_id(rng)
    title = rng.choice(lang.titles)
    level = rng.randrange(3)
    lines = []
    if rng.random() < 0.7:
        lines += [
            "---",
            f"id: {order}",
            f'title: "{title}"',
            f"owner: wrk-{rng.randint(1, 9)}",
            f"status: {rng.choice(lang.statuses)[1]}",
            f"priority: {lang.levels[level]}",
            f"depends_on: [{_order_id(rng)}, {_order_id(rng)}]",
            "---",
            "",
        ]
    lines += [
        f"# {order}: {title}",
        "",
        f"**{labels['owner']}**: wrk-{rng.randint(1, 9)} ({rng.choice(lang.components)})",
        f"**{labels['status']}**: {_status(rng, lang)}",
        f"**{labels['priority']}**: {rng.choice(_PRIORITY_EMOJI[level])} {lang.priorities[level]}",
        f"**{labels['deadline']}**: {_date(rng)}",
    ]
    if rng.random() < 0.8:
        lines += ["", f"## {lang.sections[0]}", "", "```"]
        lines.append(f"{_order_id(rng)}: {rng.choice(lang.titles)}")
        for _ in range(rng.randint(2, 6)):
            prefix = rng.choice(_TREE_PREFIXES)
            lines.append(f"{prefix}{_order_id(rng)}: {rng.choice(lang.titles)}")
        lines.append("```")
    if rng.random() < 0.8:
        lines += ["", f"## {lang.sections[1]}", ""]
        lines.append(f"| ORDER | {labels['task']} | {labels['owner']} | {labels['status']} |")
        lines.append("|-------|------|-------|--------|")
        for _ in range(rng.randint(2, 7)):
            row = (_order_id(rng), rng.choice(lang.titles), f"wrk-{rng.randint(1, 9)}")
            lines.append("| " + " | ".join((*row, _status(rng, lang))) + " |")
    lines += ["", f"## {lang.sections[2]}", ""]
    for _ in range(rng.randint(2, 6)):
        lines.append(f"- [{rng.choice(' x')}] {rng.choice(lang.criteria)}")
    if rng.random() < 0.7:
        lines += ["", f"## {lang.sections[rng.choice((3, 4))]}", ""]
        for _ in range(rng.randint(1, 5)):
            sentence = rng.choice(lang.sentences)
            lines.append(rng.choice((f"- {sentence}", sentence)))
    if rng.random() < 0.5:
        lines += ["", f"> {rng.choice(EMOJI)} {rng.choice(lang.sentences)}"]
    lines.append("")
    return "\n".join(lines)


# --- clean controls ---------------------------------------------------------------------------

_CLEAN_CYRILLIC = (
    "Жёлтый — значит, есть риск по срокам.",
    "Всё готово к релизу, осталось обновить changelog.",
    "Пётр и Алёна отвечают за миграцию.",
    "«ДА» — единственный допустимый ответ в этом поле.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "ВЫСОКИЙ ПРИОРИТЕТ: ОБНОВИТЬ СЕРТИФИКАТЫ ДО 1 МАЯ",
    "В\u00a0Москве и\u00a0Санкт-Петербурге развёрнуты два кластера.",
    "Сервис работает в\u00a0штатном режиме с\u00a0понедельника.",
    "Ёлка, ёж, объём, подъём — проверка букв «ё» и «ъ».",
    "Это изменение затрагивает API — см. раздел «Совместимость».",
    "Уже сделано: схема, индексы, права доступа.",
    "Решение: использовать PostgreSQL 16.",
    "ЧТО ДЕЛАТЬ, ЕСЛИ МИГРАЦИЯ УПАЛА?",
    "Сервис «Счета» зависит от «Платежей».",
    "Ответственный — Фёдор, замена — Семён.",
    "Рішення: відкласти реліз до вівторка.",
    "Він сказав, що Київ і Львів уже підключені.",
    "РІШЕННЯ УХВАЛЕНО ОДНОГОЛОСНО",
    "КИЇВ, ЛЬВІВ, ОДЕСА — ТРИ ДАТА-ЦЕНТРИ",
    "Їжак, ґанок, єдність, п’ять — усі літери на місці.",
    "Ґрунтовний аналіз показав, що її сервіс не винен.",
    "Є питання щодо ЄДРПОУ у звіті.",
    "У\u00a0Києві та\u00a0Харкові розгорнуто резервні вузли.",
    "Жовтий статус означає ризик щодо термінів.",
    "Объявление: съезд команд переносится на 15 марта.",
    "Подъезд № 3, этаж 5, офис 512.",
    "ЁЖИК В ТУМАНЕ — кодовое имя релиза 2.0.",
    "Всё, что не покрыто тестами, считается незавершённым.",
    "Ещё раз: «Готово» ставим только после ревью.",
    "Щёлковское шоссе, д. 7 — адрес стенда.",
    "Міграцію завершено, дані перевірено вручну.",
    "Гарна робота, команде — подяка!",
)
_CLEAN_GREEK = (
    "Η υλοποίηση του δρομολογητή ολοκληρώθηκε.",
    "Κατάσταση: Σε εξέλιξη",
    "Υπεύθυνος: Γιώργος Παπαδόπουλος",
    "ΥΨΗΛΗ ΠΡΟΤΕΡΑΙΟΤΗΤΑ",
    "Η μετάβαση του σχήματος της βάσης δεδομένων είναι αναστρέψιμη.",
    "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία.",
    "Προθεσμία: 14 Μαρτίου",
    "Σημείωση: η καθυστέρηση p99 ≤ 50 ms.",
    "Αθήνα, Θεσσαλονίκη, Πάτρα",
    "Κριτήρια αποδοχής: όλα τα τεστ περνούν",
    "Εξαρτάται από: ORDER-WRK-2-CP1-004",
    "Ολοκληρώθηκε ✅ — ευχαριστούμε την ομάδα!",
    "Κίνδυνοι: καθυστέρηση στη μετάπτωση δεδομένων",
)
_CLEAN_CJK = (
    "「完了」と表示されるまで待ってください。",
    "東京（本社）と大阪で検証済み。",
    "注意：この設定は本番環境でのみ有効です。",
    "カタカナ、ひらがな、漢字が混在する行です。",
    "進捗：７０％（予定どおり）",
    "担当：佐藤、レビュー：鈴木。",
    "次回の定例は月曜日の10時からです。",
    "状态：进行中（预计周五完成）。",
    "请在「设置」页面中启用该选项。",
    "北京、上海、深圳三地部署完成。",
    "注：本文档仅供内部使用。",
    "负责人：李娜；评审人：王伟。",
    "本周目标：完成迁移、补充测试、更新文档。",
    "风险：第三方接口不稳定（已联系供应商）。",
)
_CLEAN_EMOJI = (
    "🔴 Blocker",
    "✅ Done",
    f"{_WARNING} Migration is irreversible",
    "🚧 Under construction 🚧",
    "📌 Pinned: release checklist",
    "🔥 Hotfix deployed",
    "⏳ Waiting for review",
    "📝 Notes from the sync",
    "🟢 Healthy · 🟡 Degraded · 🔴 Down",
    "❌ Won’t fix",
    "🟠 At risk",
    "✅ Готово — 🔴 ВЫСОКИЙ ПРИОРИТЕТ снят",
    f"{_WARNING} Внимание: миграция необратима",
    "🚧 У роботі, ⏳ чекаємо на рев’ю",
    "✅ Erledigt · ❌ Abgelehnt · ⏳ Offen",
    "🔥🔥🔥",
    "👍 LGTM, 🎉 shipped!",
    "📌 固定：发布检查清单",
)
_CLEAN_LATIN = (
    "São Paulo",
    "a naïve approach",
    "Mötley Crüe",
    "“CAFÉ”",
    "„Ärger“ mit der Übergabe",
    "Příliš žluťoučký kůň úpěl ďábelské ódy.",
    "Zażółć gęślą jaźń.",
    "¿Qué?",
    "¡Hola!",
    "Ça va ? Très bien.",
    "Œuvre complète, cœur, sœur",
    "Crème brûlée au café",
    "El niño está en la cocina.",
    "Überprüfung abgeschlossen",
    "Déjà vu, façade, rôle",
    "Zürich, Genève, Köln",
    "Łódź, Kraków, Gdańsk",
    "Plzeň, Brno, České Budějovice",
    "Málaga, A Coruña, Logroño",
    "Straße, Maß, Gefäß",
    "ÄÖÜ äöü ß",
    "ČŘŽ ŠĚŮ ďťň",
    "ĄĘĆŁŃÓŚŹŻ",
    "Smørrebrød og blåbær",
    "Ñandú y pingüino",
    "Ärzte, Öffnungszeiten, Übersicht",
    "Žádost o přístup schválena.",
    "Jérôme a validé la livraison.",
    "Señor Núñez, ¿cuándo empieza el sprint?",
    "Gruß aus Düsseldorf",
)
_CLEAN_QUOTES = (
    "‘single’ and “double” quotes",
    "He said, ‘it’s done’.",
    "„Dobrý den“, řekl.",
    "‚einfach‘ und „doppelt“",
    "«guillemets» and ‹single›",
    "It’s the team’s call.",
    "The “minimal” release — again.",
    "Don’t merge before Friday’s sync.",
    "„Gotowe”, powiedział Łukasz.",
    "Он ответил: «Да, „в работе“».",
    "Вона відповіла: «Так».",
    "“Ship it,” she wrote.",
    "The field reads ‘n/a’ — that’s fine.",
)
_CLEAN_MATH = (
    "√π ≈ 1.772",
    "x² + y² ≤ r²",
    "∑ latency ≤ 500 ms",
    "½ of the budget is spent",
    "Latency: 350 µs ± 20 µs",
    "Operating range: −10 °C … 45 °C",
    "≥ 3 replicas per zone",
    "Error ≈π/100",
    "α ≠ β when the flag is on",
    "∞ retries is a bug",
    "2 × 3 = 6, 6 ÷ 2 = 3",
    "¼ done, ¾ remaining",
    "10⁻³ error rate",
    "∆t ≈ 5 ms",
    "p ≤ 0.05",
    "Температура: 5 °C, влажность 80 %",
    "Задержка ≤ 50 мс, пропускная способность ≥ 2 000 RPS",
    "f(x) = x³ − 2x + 1",
    "∀ order ∈ phase: order.done ⇒ phase.done",
    "θ ∈ [0, 2π)",
)
_CLEAN_BOX = (
    "┌──────────┐",
    "│ Router   │",
    "└────┬─────┘",
    "     │",
    "     └─→ Storage",
    "├┤",
    "═══╗",
    "╔═══╗ ║ A ║ ╚═══╝",
    "ORDER-WRK-1-CP1-001 ──→ ORDER-WRK-1-CP1-002",
    "│   └─→ done",
    "┏━━━━┓ ┃ ok ┃ ┗━━━━┛",
    "▲ ▼ ◀ ▶",
    "■ □ ▪ ● ○",
    "├─→ Ядро роутера",
    "└─→ Сховище ─→ Пошук",
    "┌─ Phase 1 ─┐  ┌─ Phase 2 ─┐",
    "═════ Фаза 2 ═════",
    "│ Статус │ Готово │",
)
_CLEAN_SYMBOLS = (
    "Product™",
    "© 2026 Example GmbH",
    "Registered®",
    "Budget: €12,000 / £10,500 / ¥1.6M",
    "See § 4.2 ¶ 3",
    "• first • second • third",
    "Loading…",
    "2019–2026",
    "wait — what?",
    "Error rate: 0.3 ‰",
    "Footnote† and another‡",
    "Бюджет: 12 000 € (≈ 1,1 млн ₽)",
    "Ціна: 500 ₴ за місце",
    "Preis: 49 € pro Monat",
    "№ 42 — заявка закрыта",
    "Aufgabe • Status • Frist",
    "Mise à jour… terminée.",
)
_CLEAN_SUSPICIOUS = (
    "SÃO PAULO",
    "INFORMAÇÃO DO CLIENTE",
    "AÇÃO NECESSÁRIA",
    "NÃO APLICÁVEL",
    "ROMÂNIA",
    "CÂMARA DOS DEPUTADOS",
    "Price: €5",
    "€5 per seat, €50 per team",
    "Ângela Sousa (São Paulo)",
    "ÂNGELO e JOÃO",
    "GUÐRÚN og ÞÓRÐUR",
    "ESPAÑA",
    "MÃE e IRMÃ",
    "ÂGE MINIMUM : 18 ANS",
    "AMANHÃ À TARDE: REUNIÃO DE PLANEJAMENTO",
    "MANHÃ DE TESTES EM SÃO PAULO E BRASÍLIA",
    "£5 or €6, ¥700",
    "Skrifstofa í Reykjavík — GUÐRÚN ÞÓRÐARDÓTTIR",
    "Office: SÃO PAULO — BRASIL",
    "Tarefa: INFORMAÇÃO DO CLIENTE",
    "Ô, Õ, Ç — Portuguese letters",
    "Dª. Conceição",
    "Nº 7, 2º andar",
    "¬ is logical NOT",
    "±5 %",
)
_CLEAN_ASCII = (
    "## Backlog",
    "- [ ] Write tests",
    "| ORDER | Owner | Status |",
    "|-------|-------|--------|",
    "ORDER-WRK-3-CP2-001 -> ORDER-WRK-3-CP2-002",
    "**Owner**: wrk-3 (Router Core)",
    "**Status**: Done",
    "---",
    "title: Router core implementation",
    "```",
    "+-- ORDER-WRK-1-CP1-001",
    "|   `-- ORDER-WRK-1-CP1-002",
    "See ADR-0012 for the decision.",
    "TODO: revisit after CP2",
    "> Note: this page is generated.",
    "1. Merge the schema migration",
)
_CLEAN_POOLS: dict[str, tuple[str, ...]] = {
    "cyrillic": _CLEAN_CYRILLIC,
    "greek": _CLEAN_GREEK,
    "cjk": _CLEAN_CJK,
    "emoji": _CLEAN_EMOJI,
    "latin": _CLEAN_LATIN,
    "quotes": _CLEAN_QUOTES,
    "math": _CLEAN_MATH,
    "box": _CLEAN_BOX,
    "symbols": _CLEAN_SYMBOLS,
    "suspicious": _CLEAN_SUSPICIOUS,
    "ascii": _CLEAN_ASCII,
}


def _wrap(rng: random.Random, text: str, lang: _Language) -> str:
    """Put a clean snippet where it would sit in a planning doc written in ``lang``."""
    shape = rng.randrange(9)
    if shape == 0:
        return f"- {text}"
    if shape == 1:
        return f"> {text}"
    if shape == 2:
        return f"**{lang.labels['notes']}**: {text}"
    if shape == 3:
        return f"| {_order_id(rng)} | {text} |"
    if shape == 4:
        return f"{rng.randint(1, 9)}. {text}"
    if shape == 5:
        return f"{_order_id(rng)}: {text}"
    if shape == 6:
        return f"- [{rng.choice(' x')}] {text}"
    return text


# --- the categories ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sample:
    subkind: str  # the middle of the case id
    text: str
    expected: str
    codecs: tuple[str, ...] = ()
    broken_parts: tuple[str, ...] = ()


_LATIN_PATH_LANGS = {
    "ru": 3,
    "en": 2,
    "uk": 1.5,
    "de": 1,
    "cs": 1,
    "pl": 1,
    "fr": 1,
    "es": 1,
    "ja": 1,
    "zh": 1,
}
_CP1251_PATH_LANGS = {
    "ru": 4,
    "uk": 3,
    "en": 2,
    "de": 0.7,
    "cs": 0.7,
    "pl": 0.7,
    "fr": 0.5,
    "es": 0.5,
    "ja": 0.4,
    "zh": 0.4,
}
_ANY_LANGS = dict.fromkeys(_LANGUAGES, 1.0)
_CYRILLIC_LANGS = {"ru": 3, "uk": 2}


def _whole_line(codec: str, langs: dict[str, float]) -> Callable[[random.Random], _Sample]:
    def make(rng: random.Random) -> _Sample:
        lang = _weighted(rng, langs)
        kind, line = _non_ascii_line(rng, _LANGUAGES[lang])
        return _Sample(f"{kind}/{lang}", mojibake(line, codec), line, (codec,))

    return make


_DOUBLE_CHAINS = {
    ("cp1252", "cp1252"): 4,
    ("cp1252", "latin1"): 2,
    ("latin1", "cp1252"): 1,
    ("mac_roman", "mac_roman"): 2,
    ("cp1251", "cp1251"): 3,
    ("cp1252", "mac_roman"): 1,
}


def _double(rng: random.Random) -> _Sample:
    chain = rng.choices(list(_DOUBLE_CHAINS), weights=list(_DOUBLE_CHAINS.values()))[0]
    langs = _CP1251_PATH_LANGS if chain[0] == "cp1251" else _LATIN_PATH_LANGS
    lang = _weighted(rng, langs)
    kind, line = _non_ascii_line(rng, _LANGUAGES[lang])
    return _Sample(f"{'+'.join(chain)}/{kind}/{lang}", _mojibake_chain(line, chain), line, chain)


_PARTIAL_CODECS = {"cp1252": 5, "cp1251": 2, "mac_roman": 1.5, "latin1": 1}


def _piece(rng: random.Random, lang: _Language) -> str:
    """A phrase that can stand on its own between separators."""
    return rng.choice(
        (
            rng.choice(lang.titles),
            rng.choice(lang.statuses)[1],
            rng.choice(lang.sentences),
            rng.choice(lang.criteria),
            rng.choice(lang.components),
            rng.choice(lang.people),
        )
    )


def _partial(rng: random.Random) -> _Sample:
    codec = _weighted(rng, _PARTIAL_CODECS)
    langs = _CP1251_PATH_LANGS if codec == "cp1251" else _LATIN_PATH_LANGS
    code = _weighted(rng, {k: v for k, v in langs.items() if k != "en"})
    lang = _LANGUAGES[code]
    while True:
        shape = rng.choice(("phrase", "phrase", "cell", "field", "emoji", "arrow", "title"))
        parts: list[tuple[str, bool]]  # (text, broken)
        if shape == "phrase":
            sep = rng.choice((" — ", ": ", ", ", " | ", " / ", "; ", " – "))
            first, second = _piece(rng, lang), _piece(rng, lang)
            broken_first = rng.random() < 0.4
            parts = [(first, broken_first), (sep, False), (second, not broken_first)]
        elif shape == "cell":
            cells = [_order_id(rng), rng.choice(lang.titles), rng.choice(lang.people)]
            cells.append(_status(rng, lang))
            broken = rng.randrange(1, 4)
            parts = [("| ", False)]
            for i, cell in enumerate(cells):
                parts += [(cell, i == broken), (" |" if i == len(cells) - 1 else " | ", False)]
        elif shape == "field":
            key, values = rng.choice(
                (
                    ("status", tuple(word for _, word in lang.statuses)),
                    ("owner", lang.people),
                    ("component", lang.components),
                    ("notes", lang.sentences),
                    ("task", lang.titles),
                )
            )
            label, value = lang.labels[key], rng.choice(values)
            broken_label = rng.random() < 0.25
            parts = [("**", False), (label, broken_label), ("**: ", False)]
            parts.append((value, not broken_label))
        elif shape == "emoji":
            emoji = rng.choice(EMOJI)
            parts = [(f"**{lang.labels['status']}**: ", False), (emoji, True)]
            parts.append((f" {rng.choice(lang.statuses)[1]} — {_piece(rng, lang)}", False))
        elif shape == "arrow":
            prefix = rng.choice(_TREE_PREFIXES).rstrip()
            broken_prefix = rng.random() < 0.5
            parts = [(prefix, broken_prefix), (f" {_order_id(rng)}: ", False)]
            parts.append((rng.choice(lang.titles), not broken_prefix))
        else:
            parts = [(f"#### {_order_id(rng)}: ", False), (rng.choice(lang.titles), True)]
            parts.append((f" — {rng.choice(lang.statuses)[1]}", False))
        clean_rest = "".join(text for text, broken in parts if not broken)
        broken_parts = tuple(text for text, broken in parts if broken)
        if not clean_rest.isascii() and all(not p.isascii() for p in broken_parts):
            break
    text = "".join(mojibake(t, codec) if broken else t for t, broken in parts)
    expected = "".join(t for t, _ in parts)
    return _Sample(f"{shape}/{codec}/{code}", text, expected, (codec,), broken_parts)


# Emoji, dingbats, arrows and box drawing, with the variation selector: the runs that get
# mojibake'd when only the symbols of a line went through a broken path.
_SYMBOL_RUN = re.compile(
    "[\U0001f300-\U0001faff\u2600-\u27bf\u2190-\u21ff\u2500-\u257f\u23e9-\u23fa\ufe0f]+"
)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_EMOJI_CODECS = {"cp1252": 5, "mac_roman": 2, "cp1251": 3}


def _emoji_in_cyrillic(rng: random.Random) -> _Sample:
    codec = _weighted(rng, _EMOJI_CODECS)
    code = _weighted(rng, _CYRILLIC_LANGS)
    lang = _LANGUAGES[code]
    while True:
        kind, line = _line(rng, lang)
        runs = _SYMBOL_RUN.findall(line)
        if runs and _CYRILLIC.search(line):
            break
    text = _SYMBOL_RUN.sub(lambda m: mojibake(m.group(), codec), line)
    return _Sample(f"{codec}/{kind}/{code}", text, line, (codec,), tuple(runs))


_DOCUMENT_CODECS = ("cp1252", "mac_roman", "cp1251", "cp437")
_DOCUMENT_LANGS: dict[str, float] = {
    "ru": 3,
    "uk": 2,
    "en": 2,
    "de": 1,
    "cs": 1,
    "pl": 1,
    "fr": 1,
    "es": 1,
}
_DOCUMENT_LANGS |= {"ja": 0.7, "zh": 0.7}


def _broken_document(rng: random.Random) -> _Sample:
    codec = rng.choice(_DOCUMENT_CODECS)
    code = _weighted(rng, _DOCUMENT_LANGS)
    doc = _document(rng, _LANGUAGES[code])
    eol = "lf"
    if rng.random() < 0.33:
        doc, eol = doc.replace("\n", "\r\n"), "crlf"
    return _Sample(f"{codec}/{code}/{eol}", mojibake(doc, codec), doc, (codec,))


_CLEAN_WEIGHTS = {
    "planning": 220,
    "document": 30,
    "cyrillic": 80,
    "greek": 25,
    "cjk": 40,
    "emoji": 30,
    "latin": 60,
    "quotes": 25,
    "math": 30,
    "box": 30,
    "symbols": 30,
    "suspicious": 30,
    "ascii": 30,
}


def _clean(rng: random.Random, subkind: str) -> _Sample:
    if subkind == "planning":
        code = rng.choice(list(_LANGUAGES))
        kind, text = _line(rng, _LANGUAGES[code])
        return _Sample(f"planning/{kind}/{code}", text, text)
    if subkind == "document":
        code = _weighted(rng, _DOCUMENT_LANGS)
        text = _document(rng, _LANGUAGES[code])
        if rng.random() < 0.33:
            text = text.replace("\n", "\r\n")
        return _Sample(f"document/{code}", text, text)
    snippet = rng.choice(_CLEAN_POOLS[subkind])
    # An ASCII snippet stays in an English doc, so that the ASCII controls stay ASCII.
    lang = _EN if subkind == "ascii" else _LANGUAGES[rng.choice(list(_LANGUAGES))]
    text = snippet if rng.random() < 0.3 else _wrap(rng, snippet, lang)
    return _Sample(subkind, text, text)


_BROKEN_MAKERS: dict[str, Callable[[random.Random], _Sample]] = {
    "cp1252": _whole_line("cp1252", _LATIN_PATH_LANGS),
    "latin1": _whole_line("latin1", _LATIN_PATH_LANGS),
    "mac_roman": _whole_line("mac_roman", _LATIN_PATH_LANGS),
    "cp1251": _whole_line("cp1251", _CP1251_PATH_LANGS),
    "cp437": _whole_line("cp437", _ANY_LANGS),
    "double": _double,
    "partial": _partial,
    "emoji-in-cyrillic": _emoji_in_cyrillic,
    "document": _broken_document,
}
_BROKEN_COUNTS = {
    "cp1252": 150,
    "latin1": 100,
    "mac_roman": 110,
    "cp1251": 130,
    "cp437": 100,
    "double": 110,
    "partial": 130,
    "emoji-in-cyrillic": 100,
    "document": 50,
}
MINIMUM_COUNTS = dict.fromkeys(BROKEN_CATEGORIES, 80) | {"document": 40}


def _unique(
    rng: random.Random, make: Callable[[random.Random], _Sample], count: int, seen: set[str]
) -> list[_Sample]:
    samples = []
    for _ in range(count):
        for _attempt in range(50):
            sample = make(rng)
            if sample.text not in seen:
                break
        seen.add(sample.text)
        samples.append(sample)
    return samples


# A file whose lines with arrows or one-letter words hold no other non-ASCII text
_LONE_RUNS = (
    "# Маршрутизация\n\nСтатус: всё проверено, задача закрыта.\n"
    "Ответственный: Пётр Иванов.\n\nHTTP→NATS\nGateway↔Router\nok→success\n"
    "Owners: wrk-3 и wrk-4\n"
)

# Hard cases written by hand, kept whatever the repair makes of them; the ones it gets wrong
# are listed in known_failures.txt. (code page, what the team wrote)
HARD_BROKEN: tuple[tuple[str, str], ...] = (
    ("cp437", "Estimates are rough; expect ± 2 days."),  # one symbol, two box characters
    ("cp437", "- Die Latenz darf nicht überschreiten."),  # box pair at a word's start
    ("cp437", "- [x] Runbook je aktualizovaný"),  # box pair at a word's end
    ("cp1251", "Owners: wrk-3 и wrk-4"),  # "Рё" alone is also two real letters
    ("mac_roman", "Dites-moi où."),  # "o√π" is also maths
    ("cp1252", "Ownership: שלום team"),  # Hebrew: never decoded, outside the team's scripts
    ("cp1252", "Review: 👩‍💻 pairing, 🇩🇪 locale, 1️⃣ first"),  # ZWJ, flags, keycaps
    ("cp1252", "Yazılım geliştirme süreci"),  # Turkish
    ("cp1252", "Ελληνικά: καλημέρα"),  # Greek
    ("mac_roman", "Übersicht der Aufgaben"),
    ("cp437", "Le runbook est à jour"),
    ("cp1251", "Статус: В работе"),
    ("latin1", "Preis: 5 € — “netto”"),
    ("mac_roman", "Keep the room at 25 °C, ±5 ms jitter, © 2026"),
    ("mac_roman", "3× faster"),
    ("cp1251", "Estimate: ½ day"),  # "ВЅ": a capital and a Macedonian letter
    ("cp437", "Keep the room at 25 °C"),  # "┬░": two box characters
    # A byte order mark read with a code page at the start of a file ("ï»¿", "Ôªø", "п»ї",
    # "∩╗┐"): there it can only be a BOM, and it is repaired into one.
    ("cp1252", "\ufeff# Routing\n\nStatus: done — reviewed.\n"),
    ("mac_roman", "\ufeff# Routing\n\nStatus: done — reviewed.\n"),
    ("cp1251", "\ufeff# Маршрутизация\n\nСтатус: готово.\n"),
    ("cp437", "\ufeff# Routing\n\nStatus: done — reviewed.\n"),
    ("cp1252", "\ufeffplain ASCII after the BOM\n"),
    # Lone runs in lines with no evidence of their own (an arrow between two words, a
    # one-letter word), in files whose other lines give the code page away
    ("cp1252", _LONE_RUNS),
    ("mac_roman", _LONE_RUNS),
    ("cp1251", _LONE_RUNS),
    ("cp437", _LONE_RUNS),
    ("mac_roman", "# Связь\n\nСвязь с сервером — готово.\nСтатус: проверено всё.\nс\n"),
    # Mojibake in code spans of a file whose prose is mojibake too: decoded with it
    ("cp1252", "# Ошибка\n\nИщите `→` и `—` в логах.\nСтатус: готово.\n"),
    # A file whose only non-ASCII text is in a span of code, read whole with a wrong code
    # page (seen in Node.js' docs): code that went through it, not a quote of mojibake
    ("cp1252", "# Addons\n\nIt uses a `try…catch` pattern.\n"),
)
HARD_CLEAN: tuple[str, ...] = (
    "«ТОВАР» и «СКЛАД»",
    "x√π and 2√πr and ≈π",
    "┌─Title─┐ A─║ ├┤ ─┐",
    "ΔT ≈ 5 K, πr², ∂Φ",
    "«C'est très…» — déjà vu",
    "SÃO PAULO, ÂGE, AÑO, Ñandú, Ðað",
    "CAFÉ”, „Ärger“, «Ça va»",
    "Жёлтый, Пётр, Сёмга, Рішення, Він, КИЇВ",
    "В\u00a0Москве и\u00a0в\u00a0Киеве",
    "Ohm: 5 Ω, ¬p ∧ q, ±0.1 µs",
    "Area: x√π and √2, √∞ = ∞",
    "Step 1 ─┐ and CP1 ─┤ CP2 and ├┤ merge",
    # Mojibake quoted on purpose in code spans, beside correct text or alone
    "Fix encoding bug: `Ã©` should render as `é`.",
    "Grep for `â€”` and `â€™` to find broken dashes",
    "Mac Roman shows é as `√©` and cp1251 shows ✅ as `вњ…`; cp437 shows ü as `├╝`.",
    "# Encoding\n\nFix encoding bug: `Ã©` should render as `é`.\nGrep for ``â€” and `â€™` ``.\n",
    # not a BOM: the same characters anywhere but at the start of the text
    "x ï»¿ and Ôªø",
    # mojibake quoted in a fenced code block (Node.js' buffer.md): only code spans are
    # taken as quotes, so this is repaired
    "```js\nconsole.log(buf.toString('latin1'));\n// Prints: this is a tÃ©st\n```\n",
    "# Encoding\n\nCafé: `tryâ€¦catch` and `Ã©` are what a misread file shows.\n",
)


def build_corpus(seed: int = 2026) -> list[Case]:
    """Return the corpus: broken cases of every category, then the clean controls.

    The same seed gives the same list; each category draws from its own random stream, so
    changing one category leaves the others as they were.
    """
    cases: list[Case] = []
    for category in BROKEN_CATEGORIES:
        rng = random.Random(f"{seed}/{category}")
        samples = _unique(rng, _BROKEN_MAKERS[category], _BROKEN_COUNTS[category], set())
        for number, s in enumerate(samples):
            cases.append(
                Case(
                    f"{category}/{s.subkind}/{number:04d}",
                    category,
                    s.text,
                    s.expected,
                    s.codecs,
                    s.broken_parts,
                )
            )
    for number, (codec, original) in enumerate(HARD_BROKEN):
        cases.append(
            Case(f"{codec}/hard/{number:04d}", codec, mojibake(original, codec), original, (codec,))
        )
    for number, text in enumerate(HARD_CLEAN):
        cases.append(Case(f"clean/hard/{number:04d}", "clean", text, text))
    seen: set[str] = set()
    number = 0
    for subkind, count in _CLEAN_WEIGHTS.items():
        rng = random.Random(f"{seed}/clean/{subkind}")
        for s in _unique(rng, functools.partial(_clean, subkind=subkind), count, seen):
            cases.append(Case(f"clean/{s.subkind}/{number:04d}", "clean", s.text, s.expected))
            number += 1
    return cases


# Line mix of the throughput document: half clean, the rest spread over the broken categories,
# whole documents now and then.
_MIXED_WEIGHTS = {"clean": 50.0} | {
    "cp1252": 10,
    "latin1": 4,
    "mac_roman": 5,
    "cp1251": 8,
    "cp437": 3,
    "double": 6,
    "partial": 7,
    "emoji-in-cyrillic": 6,
    "document": 1,
}


def mixed_document(size: int = 5_000_000, seed: int = 2026) -> tuple[str, str]:
    """Return (input, expected): about ``size`` bytes of UTF-8 mixing clean and broken lines.

    Every line is drawn fresh, so a repair that caches per line gains no more than it would on
    a real document.
    """
    rng = random.Random(f"{seed}/mixed/{size}")
    clean_kinds = list(_CLEAN_WEIGHTS)
    clean_weights = [float(w) for w in _CLEAN_WEIGHTS.values()]
    inputs: list[str] = []
    expected: list[str] = []
    total = 0
    while total < size:
        category = _weighted(rng, _MIXED_WEIGHTS)
        if category == "clean":
            sample = _clean(rng, rng.choices(clean_kinds, weights=clean_weights)[0])
        else:
            sample = _BROKEN_MAKERS[category](rng)
        inputs.append(sample.text)
        expected.append(sample.expected)
        total += len(sample.text.encode("utf-8")) + 1
    return "\n".join(inputs) + "\n", "\n".join(expected) + "\n"


# --- self-check -------------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _restore(case: Case) -> str:
    """Undo the recorded mojibake of ``case.text`` with the inverse code pages."""
    if not case.broken_parts:
        text = case.text
        for codec in reversed(case.codecs):
            text = unmojibake(text, codec)
        return text
    pieces = []
    position = 0
    for part in case.broken_parts:
        broken = _mojibake_chain(part, case.codecs)
        start = case.text.index(broken, position)
        restored = broken
        for codec in reversed(case.codecs):
            restored = unmojibake(restored, codec)
        pieces += [case.text[position:start], restored]
        position = start + len(broken)
    pieces.append(case.text[position:])
    return "".join(pieces)


def _self_check(seed: int = 2026) -> None:
    cases = build_corpus(seed)
    _require(cases == build_corpus(seed), "build_corpus is not deterministic")
    ids = [case.id for case in cases]
    _require(len(set(ids)) == len(ids), "case ids are not unique")
    _require(len(cases) >= 1500, f"only {len(cases)} cases")
    counts = Counter(case.category for case in cases)
    _require(set(counts) == set(CATEGORIES), f"categories {sorted(counts)}")
    for category, minimum in MINIMUM_COUNTS.items():
        _require(counts[category] >= minimum, f"{category}: {counts[category]} < {minimum}")
    _require(counts["clean"] * 3 >= len(cases), "fewer than a third of the cases are clean")
    for case in cases:
        if not case.broken:
            _require(case.text == case.expected, f"{case.id}: clean text != expected")
            continue
        _require(case.text != case.expected, f"{case.id}: broken text == expected")
        _require(not case.text.isascii(), f"{case.id}: broken text is ASCII")
        _require(_restore(case) == case.expected, f"{case.id}: inverse code page fails")
        if case.category == "document":
            lines = case.expected.count("\n")
            _require(15 <= lines <= 60, f"{case.id}: {lines} lines")
    text, expected = mixed_document(200_000, seed)
    _require(text != expected and text.count("\n") == expected.count("\n"), "mixed document")
    _require(mixed_document(200_000, seed) == (text, expected), "mixed document not stable")


def _main() -> None:
    cases = build_corpus()
    counts = Counter(case.category for case in cases)
    width = max(map(len, CATEGORIES))
    for category in CATEGORIES:
        print(f"{category:<{width}}  {counts[category]:5d}")
    print(f"{'total':<{width}}  {len(cases):5d}  (clean {counts['clean'] / len(cases):.1%})")
    clean_kinds = Counter(case.id.split("/")[1] for case in cases if not case.broken)
    print("clean subkinds: " + ", ".join(f"{k} {n}" for k, n in sorted(clean_kinds.items())))
    _self_check()
    print("self-check: OK")


if __name__ == "__main__":
    _main()
